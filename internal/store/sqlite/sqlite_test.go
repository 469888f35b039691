package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store"
	"github.com/ospo-project/ospo/internal/store/sqldb"
	"github.com/ospo-project/ospo/internal/store/sqlite"
	"github.com/ospo-project/ospo/internal/store/storetest"
)

func open(t *testing.T, path string) *sqldb.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	return s
}

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		s := open(t, filepath.Join(t.TempDir(), "ospo.db"))
		t.Cleanup(func() { s.Close() })
		return s
	})
}

// raw opens the database file directly, to look at what the store wrote.
func raw(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestOpenCreatesDirAndOddPaths(t *testing.T) {
	ctx := context.Background()
	for _, name := range []string{"a/b/c/ospo.db", "what?is#this%20.db", "ünï code/ospo.db"} {
		path := filepath.Join(t.TempDir(), name)
		s := open(t, path)
		if _, err := s.ReplaceProject(ctx, &catalog.Project{Key: "k", Name: "n", Path: "/p"}); err != nil {
			t.Errorf("%s: ReplaceProject: %v", name, err)
		}
		s.Close()
		if _, err := os.Stat(path); err != nil {
			t.Errorf("%s: the database is not where asked: %v", name, err)
		}
	}
}

// TestOpenNewConcurrently opens one new database from two stores at once,
// as two `ospo scan` started together on a fresh machine do: the second
// used to fail with "database is locked" about one time in fifteen, when it
// found the first's rollback journal hot while WAL was being turned on.
func TestOpenNewConcurrently(t *testing.T) {
	for i := range 50 {
		path := filepath.Join(t.TempDir(), "ospo.db")
		errs := make(chan error, 2)
		for range 2 {
			go func() {
				s, err := sqlite.Open(context.Background(), path)
				if err == nil {
					err = s.Close()
				}
				errs <- err
			}()
		}
		for range 2 {
			if err := <-errs; err != nil {
				t.Fatalf("round %d: %v", i, err)
			}
		}
	}
}

func TestPragmas(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ospo.db")
	s := open(t, path)
	defer s.Close()
	var mode string
	if err := raw(t, path).QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if mode != "wal" {
		t.Errorf("journal_mode = %q, want wal", mode)
	}
}

func TestMigrations(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ospo.db")
	s := open(t, path)
	v, err := s.SchemaVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ms, err := sqldb.Migrations(sqlite.Dialect.Migrations)
	if err != nil {
		t.Fatal(err)
	}
	if want := ms[len(ms)-1].Version; v != want {
		t.Errorf("SchemaVersion = %d, want %d", v, want)
	}
	if _, err := s.ReplaceProject(ctx, &catalog.Project{Key: "k", Name: "n", Path: "/p"}); err != nil {
		t.Fatal(err)
	}
	s.Close()

	// Opening again applies nothing and keeps the data.
	s = open(t, path)
	if _, err := s.Project(ctx, "k"); err != nil {
		t.Errorf("Project after reopening: %v", err)
	}
	s.Close()
	db := raw(t, path)
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM schema_migrations`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != len(ms) {
		t.Errorf("schema_migrations has %d rows, want %d", n, len(ms))
	}

	// A database from a newer ospo is refused, untouched.
	if _, err := db.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, '9999_future', 0)`); err != nil {
		t.Fatal(err)
	}
	_, err = sqlite.Open(ctx, path)
	if !errors.Is(err, sqldb.ErrSchemaTooNew) {
		t.Fatalf("Open of a newer schema = %v, want ErrSchemaTooNew", err)
	}
	if !strings.Contains(err.Error(), "9999") || !strings.Contains(err.Error(), path) {
		t.Errorf("error %q names neither the version nor the file", err)
	}
}

func TestHistory(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ospo.db")
	s := open(t, path)
	defer s.Close()
	p := &catalog.Project{Key: "k", Name: "n", Path: "/p", Commits: 3, HeadCommit: "abc",
		Languages: []catalog.Language{{Name: "Go", Bytes: 10}}}
	// Three scans of one HEAD record it once; a new HEAD adds a row.
	for i := 0; i < 3; i++ {
		if _, err := s.ReplaceProject(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	p2 := *p
	p2.HeadCommit = "def"
	if _, err := s.ReplaceProject(ctx, &p2); err != nil {
		t.Fatal(err)
	}
	if err := s.TouchProject(ctx, "k", p.ScannedAt); err != nil {
		t.Fatal(err)
	}
	db := raw(t, path)
	var n int
	var summary string
	if err := db.QueryRow(`SELECT COUNT(*), MAX(summary) FROM project_history`).Scan(&n, &summary); err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("project_history has %d rows, want one per HEAD (2)", n)
	}
	if want := `{"commits":3,"contributors":0,"languages":{"Go":10},"problems":0}`; summary != want {
		t.Errorf("summary = %s, want %s", summary, want)
	}
	if err := s.DeleteProject(ctx, "k"); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(`SELECT COUNT(*) FROM project_history`).Scan(&n); err != nil || n != 0 {
		t.Errorf("project_history after delete: %d rows, %v", n, err)
	}
}

// TestUpgrade opens a database left at schema version 1 by an older ospo:
// the store migrates it in place, keeping its projects, and can then hold
// dependencies.
func TestUpgrade(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ospo.db")
	db := raw(t, path)
	v1 := *sqlite.Dialect
	v1.Migrations = migrationsUpTo(t, sqlite.Dialect.Migrations, 1)
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
	db.Close()

	s := open(t, path)
	defer s.Close()
	storetest.Upgraded(t, s)
	if v, err := s.SchemaVersion(ctx); err != nil || v < 2 {
		t.Errorf("SchemaVersion after upgrade = %d, %v", v, err)
	}
}

// migrationsUpTo returns the migrations of fsys up to version v.
func migrationsUpTo(t *testing.T, fsys fs.FS, v int) fstest.MapFS {
	t.Helper()
	ms, err := sqldb.Migrations(fsys)
	if err != nil {
		t.Fatal(err)
	}
	out := fstest.MapFS{}
	for _, m := range ms {
		if m.Version <= v {
			out[m.Name+".sql"] = &fstest.MapFile{Data: []byte(m.SQL)}
		}
	}
	return out
}

// BenchmarkDependencies measures the dependency queries on a million
// dependency rows (see storetest.BenchSize to change the size). The
// database is a temporary file, or $OSPO_BENCH_DB, which is filled only if
// empty, so that runs after the first skip the minutes of filling.
func BenchmarkDependencies(b *testing.B) {
	path := os.Getenv("OSPO_BENCH_DB")
	if path == "" {
		path = filepath.Join(b.TempDir(), "ospo.db")
	}
	s, err := sqlite.Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	storetest.Bench(b, s)
}

// TestMigrateHistoryDuplicates builds the catalogue two concurrent scans left
// before migration 0010 (history rows and scores duplicated for one HEAD) and
// checks that the migration keeps the newest of each and then holds one per
// HEAD.
func TestMigrateHistoryDuplicates(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ospo.db")
	s := open(t, path)
	id, err := s.ReplaceProject(ctx, &catalog.Project{Key: "k", Name: "n", Path: "/p", HeadCommit: "abc"})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	db := raw(t, path)
	for _, q := range []string{
		`DROP INDEX project_history_head`,
		`DROP INDEX project_scores_head`,
		`DELETE FROM schema_migrations WHERE version = 10`,
		`INSERT INTO project_history (project_id, scanned_at, head_commit, summary) VALUES (?, 1, 'abc', '{"n":2}')`,
		`INSERT INTO project_history (project_id, scanned_at, head_commit, summary) VALUES (?, 2, 'abc', '{"n":3}')`,
		`INSERT INTO project_scores (project_id, scored_at, head_commit, aggregate, availability) VALUES (?, 1, 'abc', 4, 1)`,
		`INSERT INTO project_scores (project_id, scored_at, head_commit, aggregate, availability) VALUES (?, 2, 'abc', 6, 1)`,
	} {
		var args []any
		if strings.Contains(q, "?") {
			args = append(args, id)
		}
		if _, err := db.Exec(q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()
	s = open(t, path) // runs 0010 again
	defer s.Close()
	hist, err := s.ScoreHistory(ctx, id, 0)
	if err != nil || len(hist) != 1 || hist[0].Score != 6 {
		t.Errorf("scores after migration = %+v, %v; want the newest (6) only", hist, err)
	}
	db = raw(t, path)
	var n int
	var summary string
	if err := db.QueryRow(`SELECT COUNT(*), MAX(summary) FROM project_history`).Scan(&n, &summary); err != nil {
		t.Fatal(err)
	}
	if n != 1 || summary != `{"n":3}` {
		t.Errorf("history after migration: %d rows, newest %s; want 1 row, {\"n\":3}", n, summary)
	}
}

// TestAuditAcrossProcesses appends through three stores (three writer
// connections, as three processes) on one file at once.
func TestAuditAcrossProcesses(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ospo.db")
	var stores []store.Store
	for range 3 {
		s := open(t, path)
		t.Cleanup(func() { s.Close() })
		stores = append(stores, s)
	}
	storetest.AuditAcrossStores(t, stores)
}
