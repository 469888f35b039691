// Package sqlite opens the catalogue in a SQLite file, the embedded default
// store, with the pure-Go modernc.org/sqlite driver (no cgo).
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/ospo-project/ospo/internal/store/sqldb"

	"modernc.org/sqlite" // registers the "sqlite" driver
	sqlite3 "modernc.org/sqlite/lib"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Dialect describes SQLite to sqldb.
var Dialect = &sqldb.Dialect{
	Name:      "sqlite",
	MaxParams: 32766, // SQLITE_MAX_VARIABLE_NUMBER since SQLite 3.32
	Migrations: func() fs.FS {
		sub, err := fs.Sub(migrations, "migrations")
		if err != nil {
			panic(err) // cannot happen: the directory is embedded
		}
		return sub
	}(),
	RepeatInserts:  true, // the writer caches statements, see stmtcache.go
	ReadTx:         sql.TxOptions{ReadOnly: true},
	BumpGeneration: `UPDATE store_generation SET n = n + 1`,
	ReadGeneration: `SELECT n FROM store_generation`,
	// project_docs_fts: migration 0043.
	DocSearch: `SELECT d.project_id, p.name, d.name, d.title
		FROM project_docs_fts f JOIN project_docs d ON d.id = f.rowid JOIN projects p ON p.id = d.project_id
		WHERE project_docs_fts MATCH ?`,
	DocQuery: func(words []string) string {
		// "word"* is a prefix query; words hold letters and digits only,
		// so the quotes need no escaping.
		q := make([]string, len(words))
		for i, w := range words {
			q[i] = `"` + w + `"*`
		}
		return strings.Join(q, " AND ")
	},
}

// readPragmas tune the read connections for the hub's random reads over a
// large file: the file is memory-mapped (up to 1 GiB), so a page already in
// the OS cache is read without a pread system call and a copy, and each
// connection keeps up to 32 MiB of pages. On the hub's load estate (a
// 390 MB file) this halved the cost of reading the 1,000 uses of a package.
const readPragmas = "&_pragma=mmap_size(1073741824)&_pragma=cache_size(-32768)"

// writePragmas tune the writer connection: statement journals (the undo
// log of one statement inside a transaction, written for multi-row inserts
// once the transaction has changed something) are kept in memory instead of
// a temporary file: they were a sixth of the CPU of storing a batch of
// scanned projects, in write system calls. Only the statement's rollback
// within its transaction reads them; durability is the WAL's.
const writePragmas = "&_pragma=temp_store(memory)"

// busyTimeoutMS is how long a connection waits for another process's lock
// before failing with SQLITE_BUSY.
const busyTimeoutMS = 10_000

// Open opens (creating it and its parent directory if needed) the SQLite
// database at path and brings its schema up to date.
//
// The database runs in WAL mode with foreign keys on and synchronous=NORMAL
// (a power loss may lose the last transactions, never corrupt the file).
// Writes go through a single connection whose transactions start with BEGIN
// IMMEDIATE, so writers queue rather than deadlock, also across processes,
// waiting up to busy_timeout, and which keeps the statements it executes
// prepared (stmtcache.go); reads go through a pool of query-only
// connections that run alongside the writer.
func Open(ctx context.Context, path string) (*sqldb.Store, error) {
	if path == "" {
		return nil, fmt.Errorf("open store: empty SQLite path")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o700); err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	common := fmt.Sprintf("_busy_timeout=%d&_foreign_keys=1", busyTimeoutMS)
	wc, err := newCachingConnector(uri(abs) + "?" + common + "&_journal_mode=WAL&_synchronous=NORMAL&_txlock=immediate" + writePragmas)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	w := sql.OpenDB(wc)
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	// Connect the writer first: it creates the file and turns WAL on before
	// any reader opens it.
	if err := connectWriter(ctx, w); err != nil {
		w.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	r, err := sql.Open("sqlite", uri(abs)+"?"+common+"&_query_only=1"+readPragmas)
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	n := max(4, runtime.GOMAXPROCS(0))
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	s, err := sqldb.New(ctx, w, r, Dialect)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	return s, nil
}

// connectWriter connects the writer w. Two processes creating the same new
// database at once can find the other's rollback journal hot while it turns
// WAL on; SQLite answers that with SQLITE_BUSY at once, without waiting in its
// busy handler, so connecting is retried, for as long as busy_timeout would
// have waited.
func connectWriter(ctx context.Context, w *sql.DB) error {
	deadline := time.Now().Add(busyTimeoutMS * time.Millisecond)
	for wait := time.Millisecond; ; wait = min(2*wait, 100*time.Millisecond) {
		err := w.PingContext(ctx)
		if err == nil || !isBusy(err) || time.Now().After(deadline) {
			return err
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
	}
}

// isBusy reports whether err is SQLite's SQLITE_BUSY, extended codes included.
func isBusy(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_BUSY
}

// uri returns the SQLite URI of the absolute path p: the characters that
// have a meaning in a URI are percent-encoded, so a path holding ?, # or %
// names the right file.
func uri(p string) string {
	p = filepath.ToSlash(p)
	var b strings.Builder
	b.WriteString("file:")
	if !strings.HasPrefix(p, "/") { // a Windows path: C:/x → file:/C:/x
		b.WriteByte('/')
	}
	for i := 0; i < len(p); i++ {
		switch c := p[i]; c {
		case '?', '#', '%':
			fmt.Fprintf(&b, "%%%02X", c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
