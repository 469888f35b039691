// Package teststore opens empty stores of every kind for tests outside the
// store packages: a SQLite file in a temporary directory, and a schema of
// its own on the PostgreSQL server named by OSPO_TEST_POSTGRES (which
// scripts/test starts). Without OSPO_TEST_POSTGRES the PostgreSQL case skips.
package teststore

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

// Each runs fn as the subtest "sqlite" with a new SQLite store and as the
// subtest "postgres" with a new PostgreSQL store; each store is closed (and
// its schema dropped) when its subtest ends.
func Each(t *testing.T, fn func(t *testing.T, st store.Store)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}

// SQLite returns a new SQLite store in a temporary directory.
func SQLite(t testing.TB) store.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "ospo.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// Postgres returns a new store in a schema of its own on the server at
// OSPO_TEST_POSTGRES, or skips the test when it is not set.
func Postgres(t testing.TB) store.Store {
	t.Helper()
	dsn := os.Getenv("OSPO_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("OSPO_TEST_POSTGRES is not set: run scripts/test, which starts a throwaway PostgreSQL")
	}
	st, err := postgres.Open(context.Background(), Schema(t, dsn))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() }) // runs before the schema is dropped
	return st
}

// Schema creates a schema of its own for t on the server at dsn, dropped
// (with everything in it) when t ends, and returns a DSN whose search_path
// selects it.
func Schema(t testing.TB, dsn string) string {
	t.Helper()
	b := make([]byte, 6)
	rand.Read(b)
	name := "ospo_t_" + hex.EncodeToString(b)
	if err := Exec(dsn, `CREATE SCHEMA `+name); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		if err := Exec(dsn, `DROP SCHEMA `+name+` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", name, err)
		}
	})
	return SearchPath(t, dsn, name)
}

// SearchPath returns dsn with its search_path set to schema.
func SearchPath(t testing.TB, dsn, schema string) string {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("OSPO_TEST_POSTGRES: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Exec runs one statement on the server at dsn.
func Exec(dsn, sql string) error {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return err
}

// LastQueries returns the query each open connection to the PostgreSQL
// server at dsn whose application_name is app ran last (or runs), as
// pg_stat_activity shows it: what a pool's connections did, seen from the
// server.
func LastQueries(t testing.TB, dsn, app string) []string {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT query FROM pg_stat_activity WHERE application_name = $1`, app)
	if err != nil {
		t.Fatal(err)
	}
	queries, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return queries
}
