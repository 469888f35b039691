// Package sqldb is the one database/sql implementation of store.Store. The
// sqlite and postgres packages open a database, describe its SQL dialect and
// hand both to New; every query lives here, so the two backends cannot drift.
//
// Queries are written with ? placeholders and the SQL both databases accept
// (INSERT … ON CONFLICT … DO UPDATE … RETURNING, CAST, COALESCE). Times are
// stored as Unix nanoseconds in integer columns, so they round-trip exactly on
// both; JSON is stored as text. Every string written is first made valid
// UTF-8 without NUL bytes (PostgreSQL rejects both), see clean.
package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"math/bits"
	"strconv"
	"strings"
	"sync"

	"github.com/ospo-project/ospo/internal/store"
)

// Dialect describes what differs between the databases behind a Store.
type Dialect struct {
	// Name names the database in error messages: "sqlite" or "postgres".
	Name string
	// Numbered reports that the database wants $1, $2, … placeholders; when
	// false, queries keep their ? placeholders.
	Numbered bool
	// MaxParams is the most bind parameters one statement may carry. Bulk
	// inserts are split into statements that stay below it.
	MaxParams int
	// Migrations holds the schema as files named NNNN_description.sql,
	// applied in order of NNNN. See Migrate.
	Migrations fs.FS
	// MigrationLock, when not empty, is executed first in the migration
	// transaction to serialise processes that open the same database at once
	// (PostgreSQL: an advisory transaction lock).
	MigrationLock string
	// RepeatInserts makes bulk inserts use only a few distinct statements
	// (statements of 64 rows, then smaller ones of a power of two rows
	// each), so that a driver caching prepared statements by their text
	// (SQLite's writer, see package sqlite) reuses them from project to
	// project. Without it, statements of up to 500 rows, the last sized to
	// fit.
	RepeatInserts bool
	// ReadTx are the options of the transactions that read-only methods run in.
	ReadTx sql.TxOptions
	// BumpGeneration advances the write counter (see Store.Generation): run
	// as the last statement of every write transaction, or, when
	// BumpAfterCommit is set, on its own just after the commit.
	BumpGeneration  string
	BumpAfterCommit bool
	// ReadGeneration reads the write counter.
	ReadGeneration string
	// AuditLock, when not empty, is executed first in AppendAudit's
	// transaction to serialise appends across connections and processes
	// (PostgreSQL: an advisory transaction lock). SQLite needs none: its
	// writes go through one connection whose transactions begin IMMEDIATE.
	AuditLock string
	// DocSearch selects project_id, the project's name, the page's name and
	// title of the doc pages matching its one parameter, the query DocQuery
	// writes from the searched words (full-text, by word prefix).
	DocSearch string
	// DocQuery writes the full-text query of DocSearch for words, which
	// hold letters and digits only, lower-cased, at least one.
	DocQuery func(words []string) string
	// WarmConnection, when not empty, is run by WarmConnections on each
	// connection of the read pool: what makes a new connection's first
	// queries as fast as its later ones.
	WarmConnection string
}

// rebind rewrites the ? placeholders of q into the dialect's form. Queries in
// this package never hold a ? inside a string literal.
func (d *Dialect) rebind(q string) string {
	if !d.Numbered {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + len(q)/4)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// Store implements store.Store over database/sql. It is safe for concurrent
// use. Writes go through one pool and reads through another, which may be the
// same: SQLite wants a single writer connection while readers run alongside
// it, PostgreSQL serves both from one pool.
type Store struct {
	w, r *sql.DB
	d    *Dialect
}

var _ store.Store = (*Store)(nil)

// New returns a Store writing through write and reading through read (which
// may be the same pool), after applying d's migrations with Migrate. The
// Store owns the pools from then on and closes them in Close; if New fails it
// closes them itself.
func New(ctx context.Context, write, read *sql.DB, d *Dialect) (*Store, error) {
	s := &Store{w: write, r: read, d: d}
	if err := Migrate(ctx, write, d); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// NewReadOnly returns a Store over the SQLite database db that only reads: writes fail (the
// connection is expected to be opened read-only, so the database refuses
// them). It applies no migration; it checks that db is at the schema this
// binary knows and returns an error wrapping ErrSchemaOld when migrations
// are missing, ErrSchemaTooNew when the database is newer, and
// store.ErrNoCatalogue when db holds no catalogue at all. The Store owns db
// from then on; if NewReadOnly fails it closes it.
func NewReadOnly(ctx context.Context, db *sql.DB, d *Dialect) (*Store, error) {
	s := &Store{w: db, r: db, d: d}
	if err := checkSchema(ctx, s); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func checkSchema(ctx context.Context, s *Store) error {
	ms, err := Migrations(s.d.Migrations)
	if err != nil {
		return fmt.Errorf("check %s store: %w", s.d.Name, err)
	}
	var tables int
	err = s.read(ctx, "check schema", func(t tx) error {
		return t.queryRow(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`).Scan(&tables)
	})
	if err != nil {
		return err
	}
	if tables == 0 {
		return fmt.Errorf("no ospo catalogue in this database: %w", store.ErrNoCatalogue)
	}
	var applied map[int]bool
	err = s.read(ctx, "check schema", func(t tx) error {
		applied, err = appliedVersions(ctx, t)
		return err
	})
	if err != nil {
		return err
	}
	known := ms[len(ms)-1].Version
	for v := range applied {
		if v > known {
			return fmt.Errorf("%w: the database is at schema version %d, this binary knows up to %d; upgrade ospo", ErrSchemaTooNew, v, known)
		}
	}
	for _, m := range ms {
		if !applied[m.Version] {
			return fmt.Errorf("%w: migration %s is not applied; run `ospo migrate` where the catalogue is writable", ErrSchemaOld, m.Name)
		}
	}
	return nil
}

// Close closes the store's connection pools.
func (s *Store) Close() error {
	err := s.w.Close()
	if s.r != s.w {
		err = errors.Join(err, s.r.Close())
	}
	return err
}

// tx is a transaction that rebinds placeholders (or, for readStatement,
// a connection or the pool).
type tx struct {
	tx querier
	d  *Dialect
}

// querier is a transaction, a connection or a pool.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func (t tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return t.tx.ExecContext(ctx, t.d.rebind(q), args...)
}

func (t tx) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return t.tx.QueryContext(ctx, t.d.rebind(q), args...)
}

func (t tx) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return t.tx.QueryRowContext(ctx, t.d.rebind(q), args...)
}

// write runs fn in a read-write transaction and commits it if fn succeeds.
// op names the operation in errors. Every write advances the generation.
func (s *Store) write(ctx context.Context, op string, fn func(tx) error) error {
	if s.d.BumpAfterCommit {
		if err := inTx(ctx, s.w, nil, s.d, op, fn); err != nil {
			return err
		}
		// The data is committed; a failure here only delays readers that
		// cache, so it is not the write's failure. A cancelled ctx must not
		// skip it.
		s.w.ExecContext(context.WithoutCancel(ctx), s.d.BumpGeneration)
		return nil
	}
	return inTx(ctx, s.w, nil, s.d, op, func(t tx) error {
		if err := fn(t); err != nil {
			return err
		}
		if _, err := t.exec(ctx, s.d.BumpGeneration); err != nil {
			return fmt.Errorf("advance the generation: %w", err)
		}
		return nil
	})
}

// writeAccounts runs fn in a read-write transaction like write, without
// advancing the generation: accounts, sessions, tokens, memberships and the
// audit log are not part of the catalogue that readers cache, and a session
// touched every minute must not make the hub rebuild its estate snapshot.
func (s *Store) writeAccounts(ctx context.Context, op string, fn func(tx) error) error {
	return inTx(ctx, s.w, nil, s.d, op, fn)
}

// Generation implements store.Store.
func (s *Store) Generation(ctx context.Context) (int64, error) {
	var n int64
	var row *sql.Row
	if c, release := s.pinnedConn(ctx); c != nil {
		defer release()
		row = c.QueryRowContext(ctx, s.d.ReadGeneration)
	} else {
		row = s.r.QueryRowContext(ctx, s.d.ReadGeneration)
	}
	if err := row.Scan(&n); err != nil {
		return 0, fmt.Errorf("read the store generation: %w", err)
	}
	return n, nil
}

// read runs fn in a read-only transaction, so that its queries see one
// snapshot of the store. Within WarmConnections' warm function it runs on
// the connection being warmed (see pinned).
func (s *Store) read(ctx context.Context, op string, fn func(tx) error) error {
	opts := s.d.ReadTx
	if c, release := s.pinnedConn(ctx); c != nil {
		defer release()
		return inTx(ctx, c, &opts, s.d, op, fn)
	}
	return inTx(ctx, s.r, &opts, s.d, op, fn)
}

// readStatement is read for a function that runs one statement (one
// SELECT sees one snapshot of the store by itself): without a transaction,
// which saves two of a short read's three round trips to a database server
// (BEGIN and COMMIT). fn must run one statement only.
func (s *Store) readStatement(ctx context.Context, op string, fn func(tx) error) error {
	var q querier = s.r
	if c, release := s.pinnedConn(ctx); c != nil {
		defer release()
		q = c
	}
	if err := fn(tx{tx: q, d: s.d}); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

// pinnedConn returns the connection WarmConnections is warming with ctx,
// for one read, and the function to call when the read is over; nil
// outside a warm function.
func (s *Store) pinnedConn(ctx context.Context) (*sql.Conn, func()) {
	p, _ := ctx.Value(pinKey{s}).(*pinned)
	if p == nil {
		return nil, nil
	}
	p.mu.Lock()
	if p.conn == nil {
		p.mu.Unlock()
		return nil, nil
	}
	return p.conn, p.mu.Unlock
}

// beginner is a pool or one of its connections.
type beginner interface {
	BeginTx(context.Context, *sql.TxOptions) (*sql.Tx, error)
}

func inTx(ctx context.Context, db beginner, opts *sql.TxOptions, d *Dialect, op string, fn func(tx) error) error {
	t, err := db.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("%s: begin %s transaction: %w", op, d.Name, err)
	}
	if err := fn(tx{tx: t, d: d}); err != nil {
		t.Rollback()
		return fmt.Errorf("%s: %w", op, err)
	}
	if err := t.Commit(); err != nil {
		return fmt.Errorf("%s: commit: %w", op, err)
	}
	return nil
}

// insertRows inserts n rows into table with multi-row INSERT statements, as
// many rows per statement as the dialect's parameter limit allows (at most
// maxRowsPerInsert). row appends the values of row i, one per column, to
// args and returns it.
func (t tx) insertRows(ctx context.Context, table string, cols []string, n int, row func(i int, args []any) []any) error {
	_, err := t.upsertRows(ctx, table, cols, "", n, row)
	return err
}

// upsertRows is insertRows with a clause added to each statement, such as
// ON CONFLICT … DO NOTHING, and returns the rows the statements affected.
// Rows go to the database in order.
func (t tx) upsertRows(ctx context.Context, table string, cols []string, onConflict string, n int, row func(i int, args []any) []any) (int64, error) {
	if n == 0 {
		return 0, nil
	}
	per := min(maxRowsPerInsert, t.d.MaxParams/len(cols))
	if t.d.RepeatInserts {
		per = min(per, maxRowsPerRepeatedInsert)
	}
	head := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES "
	tuple := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	var full string // the statement for a whole batch, built once
	var affected int64
	args := make([]any, 0, min(n, per)*len(cols))
	for start, end := 0, 0; start < n; start = end {
		end = min(start+per, n)
		if t.d.RepeatInserts && end-start < per {
			end = start + 1<<(bits.Len(uint(end-start))-1) // the largest power of two that fits
		}
		args = args[:0]
		for i := start; i < end; i++ {
			args = row(i, args)
		}
		var q string
		if end-start == per && full != "" {
			q = full
		} else {
			q = t.d.rebind(head + strings.TrimSuffix(strings.Repeat(tuple+", ", end-start), ", ") + onConflict)
			if end-start == per {
				full = q
			}
		}
		r, err := t.tx.ExecContext(ctx, q, args...)
		if err != nil {
			return affected, fmt.Errorf("insert into %s: %w", table, err)
		}
		if k, err := r.RowsAffected(); err == nil {
			affected += k
		}
	}
	return affected, nil
}

// maxRowsPerInsert caps the rows of one multi-row INSERT: beyond a few hundred
// rows a bigger statement saves nothing and costs parse time.
const maxRowsPerInsert = 500

// maxRowsPerRepeatedInsert caps the rows of one INSERT with RepeatInserts:
// a driver keeps each statement size of each table prepared, and the
// prepared program grows with the rows (at most 127 rows' worth a table).
const maxRowsPerRepeatedInsert = 64

// inClause returns "(?, ?, …)" with n placeholders.
func inClause(n int) string {
	return "(" + strings.TrimSuffix(strings.Repeat("?, ", n), ", ") + ")"
}

// inList returns the clause "(?, ?, …)" of an IN list of args (at least
// one) and its arguments, as many as the next power of two, the last
// argument repeated (an IN list means the same with it): a read whose list
// varies in length from call to call (the packages of a project, the
// advisories that match them) runs one of a few statements rather than one
// per length, which a driver that prepares each statement once per
// connection (pgx) prepared, and PostgreSQL planned, anew for each length.
func inList(args []any) (string, []any) {
	n := 1 << bits.Len(uint(len(args)-1))
	args = args[:len(args):len(args)] // appending never writes into the caller's array
	for len(args) < n {
		args = append(args, args[len(args)-1])
	}
	return inClause(n), args
}

// WarmConnections opens the read pool's connections at once (as many as it
// may hold), runs the dialect's WarmConnection on each, then warm (when not
// nil) once for each connection, all at once, and leaves them idle in the
// pool. A server calls it before it takes traffic: on PostgreSQL a new
// server process plans its first query of a table in 1-4 ms (it reads the
// table's and its indexes' descriptions from the system catalogue), and
// each connection prepares and plans each statement the first time it runs
// it (pgx keeps the prepared statements per connection; the first plans of
// a statement on a new server process cost 1-3 ms each, 0.05-0.3 ms later),
// so that a burst of requests on new connections waited for tens of
// milliseconds each.
//
// warm should make the reads the server's first requests will make (a
// project's page, a person's): within it, this Store's reads with its ctx
// (or a context derived from it) run on the connection it warms, one at a
// time (a read while another runs waits for it); a read after warm
// returned, such as one of work it started, goes to the pool as any other.
// warm must not write (writes go to the pool, whose connections are all
// being warmed). An error of warm is returned (the first of them), after
// every connection was warmed; each connection goes back to the pool when
// its warm function returns. Without a WarmConnection (SQLite, whose
// connections are in-process) it does nothing.
//
// The warmed connections are then kept however long they stay idle: the
// pool would otherwise close them after its idle time (half an hour on
// PostgreSQL), and the first burst after a quiet spell would again land on
// cold connections. A server holds at most its pool's size open.
func (s *Store) WarmConnections(ctx context.Context, warm func(context.Context) error) error {
	if s.d.WarmConnection == "" {
		return nil
	}
	s.r.SetConnMaxIdleTime(0)
	n := s.r.Stats().MaxOpenConnections
	if n <= 0 {
		n = 1
	}
	conns := make([]*sql.Conn, 0, n)
	for range n {
		c, err := s.r.Conn(ctx)
		if err != nil {
			for _, c := range conns {
				c.Close()
			}
			return fmt.Errorf("warm connections: %w", err)
		}
		conns = append(conns, c)
	}
	errs := make(chan error, len(conns))
	for _, c := range conns {
		go func() {
			defer c.Close() // back to the pool, which keeps up to its size idle
			if _, err := c.ExecContext(ctx, s.d.WarmConnection); err != nil || warm == nil {
				errs <- err
				return
			}
			p := &pinned{conn: c}
			err := warm(context.WithValue(ctx, pinKey{s}, p))
			p.mu.Lock()
			p.conn = nil // reads from here on, such as those of work warm started, use the pool
			p.mu.Unlock()
			errs <- err
		}()
	}
	var first error
	for range conns {
		if err := <-errs; err != nil && first == nil {
			first = fmt.Errorf("warm connections: %w", err)
		}
	}
	return first
}

// pinKey is the context key under which WarmConnections hands a Store's
// reads the connection it warms.
type pinKey struct{ s *Store }

// pinned is a connection that a Store's reads use while WarmConnections'
// warm function runs: one read at a time (a *sql.Conn runs one transaction
// at once), none once conn is nil.
type pinned struct {
	mu   sync.Mutex
	conn *sql.Conn
}
