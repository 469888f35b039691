package hub_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/ospo-project/ospo/internal/store"
	"github.com/ospo-project/ospo/internal/store/postgres"
	"github.com/ospo-project/ospo/internal/store/sqlite"
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

func openSQLite(t *testing.T) store.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "ospo.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func openPostgres(t *testing.T) store.Store {
	t.Helper()
	dsn := os.Getenv("OSPO_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("OSPO_TEST_POSTGRES is not set: run scripts/test, which starts a throwaway PostgreSQL, to run the hub tests on PostgreSQL")
	}
	st, err := postgres.Open(context.Background(), pgSchema(t, dsn))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() }) // runs before the schema is dropped
	return st
}

// pgSchema creates a schema of its own for t, dropped when t ends, and
// returns a DSN whose search_path selects it.
func pgSchema(t testing.TB, dsn string) string {
	t.Helper()
	b := make([]byte, 6)
	rand.Read(b)
	name := "ospo_hub_" + hex.EncodeToString(b)
	if err := pgExec(dsn, `CREATE SCHEMA `+name); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		if err := pgExec(dsn, `DROP SCHEMA `+name+` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", name, err)
		}
	})
	return withSearchPath(t, dsn, name)
}

func withSearchPath(t testing.TB, dsn, schema string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("OSPO_TEST_POSTGRES: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// pgExec runs one statement on the server at dsn.
func pgExec(dsn, sql string) error {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return err
}
