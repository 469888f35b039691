package hub_test

import (
	"testing"

	"github.com/ospo-project/ospo/internal/store"
	"github.com/ospo-project/ospo/internal/store/teststore"
)

// opener returns a fresh, empty store, closed when the test ends.
type opener func(t *testing.T) store.Store

// eachStore runs fn as the subtest "sqlite" on a SQLite store and as the
// subtest "postgres" on PostgreSQL: the server at OSPO_TEST_POSTGRES (set
// by scripts/test), a schema of its own per store. Without
// OSPO_TEST_POSTGRES the PostgreSQL subtest skips.
func eachStore(t *testing.T, fn func(t *testing.T, open opener)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, openSQLite) })
	t.Run("postgres", func(t *testing.T) { fn(t, openPostgres) })
}

func openSQLite(t *testing.T) store.Store { return teststore.SQLite(t) }

func openPostgres(t *testing.T) store.Store { return teststore.Postgres(t) }
