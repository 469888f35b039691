package postgres_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store"
	"github.com/ospo-project/ospo/internal/store/postgres"
	"github.com/ospo-project/ospo/internal/store/sqldb"
	"github.com/ospo-project/ospo/internal/store/storetest"
	"github.com/ospo-project/ospo/internal/store/teststore"
)

// server returns the PostgreSQL URL the tests may use, or skips the test.
func server(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv("OSPO_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("OSPO_TEST_POSTGRES is not set: set it to a postgres:// URL, or run scripts/test, " +
			"which starts a throwaway PostgreSQL, to run the PostgreSQL store tests")
	}
	return dsn
}

// schema creates a schema of its own for t, dropped when t ends, and
// returns a DSN whose search_path selects it: every test gets an empty
// store without creating databases.
func schema(t testing.TB) string {
	t.Helper()
	dsn := server(t)
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	b := make([]byte, 6)
	rand.Read(b)
	name := "ospo_test_" + hex.EncodeToString(b)
	if _, err := admin.Exec(`CREATE SCHEMA ` + name); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec(`DROP SCHEMA ` + name + ` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", name, err)
		}
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("OSPO_TEST_POSTGRES: %v", err)
	}
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	return u.String()
}

func open(t testing.TB, dsn string) *sqldb.Store {
	t.Helper()
	s, err := postgres.Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return s
}

func TestStore(t *testing.T) {
	server(t)
	storetest.Run(t, func(t *testing.T) store.Store {
		s := open(t, schema(t))
		t.Cleanup(func() { s.Close() }) // runs before the schema is dropped
		return s
	})
}

func TestMigrations(t *testing.T) {
	ctx := context.Background()
	dsn := schema(t)
	s := open(t, dsn)
	if _, err := s.ReplaceProject(ctx, &catalog.Project{Key: "k", Name: "n", Path: "/p"}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = open(t, dsn)
	if _, err := s.Project(ctx, "k"); err != nil {
		t.Errorf("Project after reopening: %v", err)
	}
	s.Close()

	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ms, err := sqldb.Migrations(postgres.Dialect.Migrations)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM schema_migrations`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != len(ms) {
		t.Errorf("schema_migrations has %d rows, want %d", n, len(ms))
	}
	if _, err := db.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, '9999_future', 0)`); err != nil {
		t.Fatal(err)
	}
	if _, err := postgres.Open(ctx, dsn); !errors.Is(err, sqldb.ErrSchemaTooNew) {
		t.Errorf("Open of a newer schema = %v, want ErrSchemaTooNew", err)
	}
}

func TestConcurrentOpen(t *testing.T) {
	dsn := schema(t)
	errs := make(chan error, 4)
	for i := 0; i < cap(errs); i++ {
		go func() {
			s, err := postgres.Open(context.Background(), dsn)
			if err == nil {
				s.Close()
			}
			errs <- err
		}()
	}
	for i := 0; i < cap(errs); i++ {
		if err := <-errs; err != nil {
			t.Errorf("concurrent Open: %v", err)
		}
	}
}

func TestOpenErrorHidesPassword(t *testing.T) {
	const secret = "s3cr%t@pw"
	for _, dsn := range []string{
		"postgres://ospo:" + url.QueryEscape(secret) + "@127.0.0.1:1/ospo?connect_timeout=2",
		"postgres://ospo:" + secret + "@127.0.0.1:1/ospo", // not a valid URL
		"postgres://ospo@127.0.0.1:1/ospo?password=" + url.QueryEscape(secret),
		"host=127.0.0.1 port=1 user=ospo password='" + secret + "' connect_timeout=2",
	} {
		_, err := postgres.Open(context.Background(), dsn)
		if err == nil {
			t.Errorf("Open(%s) succeeded", postgres.Redact(dsn))
			continue
		}
		for _, leak := range []string{secret, url.QueryEscape(secret), "s3cr"} {
			if strings.Contains(err.Error(), leak) {
				t.Errorf("Open error shows the password: %v", err)
			}
		}
		if !strings.HasPrefix(err.Error(), "open store ") {
			t.Errorf("Open error %q does not say what failed", err)
		}
	}
}

func TestRedact(t *testing.T) {
	tests := []struct{ in, want string }{
		{"postgres://u:secret@db.example:5432/ospo?sslmode=require", "postgres://u:xxxxx@db.example:5432/ospo?sslmode=require"},
		{"postgres://u@db/ospo", "postgres://u@db/ospo"},
		{"postgres://db/ospo?password=secret&sslmode=disable", "postgres://db/ospo?password=xxxxx&sslmode=disable"},
		{"postgresql://u:p@ss:w@rd@db/ospo", "postgresql://u:xxxxx@db/ospo"},
		{"host=db password=secret user=u", "host=db password=xxxxx user=u"},
		{"host=db password='se cret' user=u", "host=db password=xxxxx user=u"},
		{"/var/lib/ospo.db", "/var/lib/ospo.db"},
	}
	for _, tt := range tests {
		if got := postgres.Redact(tt.in); got != tt.want {
			t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestUpgrade opens a database left at schema version 1 by an older ospo:
// the store migrates it in place, keeping its projects, and can then hold
// dependencies.
func TestUpgrade(t *testing.T) {
	ctx := context.Background()
	dsn := schema(t)
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ms, err := sqldb.Migrations(postgres.Dialect.Migrations)
	if err != nil {
		t.Fatal(err)
	}
	v1 := *postgres.Dialect
	v1.Migrations = fstest.MapFS{ms[0].Name + ".sql": &fstest.MapFile{Data: []byte(ms[0].SQL)}}
	if err := sqldb.Migrate(ctx, db, &v1); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO projects (key, name, name_fold, path) VALUES ('k', 'n', 'n', '/p')`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO project_languages (project_id, pos, name, name_fold, bytes, files)
		SELECT id, 0, 'Go', 'go', 10, 1 FROM projects`); err != nil {
		t.Fatal(err)
	}

	s := open(t, dsn)
	defer s.Close()
	storetest.Upgraded(t, s)
	if v, err := s.SchemaVersion(ctx); err != nil || v < 2 {
		t.Errorf("SchemaVersion after upgrade = %d, %v", v, err)
	}
}

// BenchmarkDependencies measures the dependency queries on a million
// dependency rows (see storetest.BenchSize to change the size), in a schema
// of its own.
func BenchmarkDependencies(b *testing.B) {
	dsn := os.Getenv("OSPO_TEST_POSTGRES")
	if dsn == "" {
		b.Skip("OSPO_TEST_POSTGRES is not set (scripts/test sets it)")
	}
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer admin.Close()
	name := "ospo_bench_" + strconv.FormatInt(time.Now().UnixNano(), 36)
	if _, err := admin.Exec(`CREATE SCHEMA ` + name); err != nil {
		b.Fatal(err)
	}
	defer admin.Exec(`DROP SCHEMA ` + name + ` CASCADE`)
	u, err := url.Parse(dsn)
	if err != nil {
		b.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	s, err := postgres.Open(context.Background(), u.String())
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	storetest.Bench(b, s)
}

// TestAuditAcrossProcesses appends through three stores (three connection
// pools, as three hub replicas) on one database at once.
func TestAuditAcrossProcesses(t *testing.T) {
	dsn := schema(t)
	var stores []store.Store
	for range 3 {
		s := open(t, dsn)
		t.Cleanup(func() { s.Close() })
		stores = append(stores, s)
	}
	storetest.AuditAcrossStores(t, stores)
}

// TestWarmConnections: the pool's connections are opened at once, each
// runs the warm-up (every table of the schema planned) without error, then
// the warm function once, whose reads run on the connection it warms (two
// at once wait for each other; after it returned, on the pool), and they
// stay open in the pool afterwards.
func TestWarmConnections(t *testing.T) {
	for _, tc := range []struct {
		name string
		warm bool
		// last is what pg_stat_activity says each connection ran last:
		// the tables' warm-up, or the commit of the warm function's reads.
		last string
	}{
		{"tables", false, "DO $$"},
		{"tables and reads", true, "commit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dsn := schema(t)
			u, err := url.Parse(dsn)
			if err != nil {
				t.Fatal(err)
			}
			b := make([]byte, 6)
			rand.Read(b)
			app := "ospo_warm_" + hex.EncodeToString(b)
			q := u.Query()
			q.Set("application_name", app)
			u.RawQuery = q.Encode()
			s := open(t, u.String())
			defer s.Close()
			ctx := context.Background()
			if _, err := s.ReplaceProject(ctx, &catalog.Project{Key: "k1", Name: "one", Path: "/one"}); err != nil {
				t.Fatal(err)
			}
			var mu sync.Mutex
			var ctxs []context.Context
			var warm func(context.Context) error
			if tc.warm {
				warm = func(ctx context.Context) error {
					mu.Lock()
					ctxs = append(ctxs, ctx)
					mu.Unlock()
					// Two reads at once on the one connection.
					errs := make(chan error, 2)
					for range 2 {
						go func() {
							ps, err := s.ListProjects(ctx, store.ProjectFilter{})
							if err == nil && len(ps) != 1 {
								err = fmt.Errorf("%d projects, want 1", len(ps))
							}
							errs <- err
						}()
					}
					for range 2 {
						if err := <-errs; err != nil {
							return err
						}
					}
					_, err := s.Project(ctx, "k1")
					return err
				}
			}
			if err := s.WarmConnections(ctx, warm); err != nil {
				t.Fatal(err)
			}
			if tc.warm && len(ctxs) != 16 {
				t.Errorf("warm ran %d times, want once for each of the pool's 16 connections", len(ctxs))
			}
			for _, c := range ctxs { // after the warm-up: on the pool
				if _, err := s.Project(c, "k1"); err != nil {
					t.Errorf("a read with a warm function's context after it returned: %v", err)
				}
			}
			last := teststore.LastQueries(t, dsn, app)
			for _, q := range last {
				if !strings.HasPrefix(q, tc.last) {
					t.Errorf("a connection ran %.40q last, want %q", q, tc.last)
				}
			}
			if n := len(last); n != 16 {
				t.Errorf("%d connections of the store open after warming, want its pool's 16", n)
			}
		})
	}
}
