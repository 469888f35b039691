package sqlite

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"

	"modernc.org/sqlite"
)

// maxCachedStmts bounds the statements a writer connection keeps prepared;
// past it the cache is emptied and refilled (the writer runs a few dozen
// distinct statements, see sqldb.Dialect.RepeatInserts).
const maxCachedStmts = 256

// cachingConnector opens connections that prepare each distinct statement
// they execute or query once and reuse it: a scan runs the same upserts,
// deletes and inserts for every project, and SQLite's parsing and code
// generation of them was a quarter of the CPU of writing a project.
type cachingConnector struct{ base driver.Connector }

func newCachingConnector(dsn string) (driver.Connector, error) {
	base, err := sqlite.NewConnector(dsn)
	if err != nil {
		return nil, err
	}
	return cachingConnector{base}, nil
}

func (c cachingConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.base.Connect(ctx)
	if err != nil {
		return nil, err
	}
	inner, ok := conn.(sqliteConn)
	if !ok {
		conn.Close()
		return nil, fmt.Errorf("sqlite connection %T lacks the context methods", conn)
	}
	return &cachingConn{sqliteConn: inner, stmts: map[string]driver.Stmt{}, busy: map[driver.Stmt]bool{}}, nil
}

func (c cachingConnector) Driver() driver.Driver { return c.base.Driver() }

// sqliteConn is what the driver's connections implement and database/sql
// uses; cachingConn forwards all of it.
type sqliteConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
}

// cachingConn is a connection with a statement cache for ExecContext and
// QueryContext. database/sql uses a connection from one goroutine at a
// time, so the cache needs no lock. A statement executed runs to
// completion and is reset; a statement queried is busy until its rows are
// closed, and the same query meanwhile (rows read while another query
// runs) goes through an uncached statement.
type cachingConn struct {
	sqliteConn
	stmts map[string]driver.Stmt
	busy  map[driver.Stmt]bool
}

// Unwrap returns the driver's connection (see sqlite.NewConnector).
func (c *cachingConn) Unwrap() driver.Conn { return c.sqliteConn }

func (c *cachingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	st, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return c.sqliteConn.ExecContext(ctx, query, args)
	}
	return st.(driver.StmtExecContext).ExecContext(ctx, args)
}

func (c *cachingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	st, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return c.sqliteConn.QueryContext(ctx, query, args)
	}
	rows, err := st.(driver.StmtQueryContext).QueryContext(ctx, args)
	if err != nil {
		return nil, err
	}
	sr, ok := rows.(sqliteRows)
	if !ok {
		rows.Close()
		return nil, fmt.Errorf("sqlite rows %T lack the column type methods", rows)
	}
	c.busy[st] = true
	return &cachedRows{sqliteRows: sr, c: c, query: query, st: st}, nil
}

// stmt returns the cached statement of query, prepared now if it is not
// cached, or nil if it is busy.
func (c *cachingConn) stmt(ctx context.Context, query string) (driver.Stmt, error) {
	if st, ok := c.stmts[query]; ok {
		if c.busy[st] {
			return nil, nil
		}
		return st, nil
	}
	st, err := c.sqliteConn.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if len(c.stmts) >= maxCachedStmts {
		c.closeStmts()
	}
	c.stmts[query] = st
	return st, nil
}

// closeStmts empties the cache and finalizes its statements, except the
// busy ones: a busy statement is finalized when its rows are closed.
func (c *cachingConn) closeStmts() error {
	var errs []error
	for q, st := range c.stmts {
		delete(c.stmts, q)
		if !c.busy[st] {
			errs = append(errs, st.Close())
		}
	}
	return errors.Join(errs...)
}

// cachedRows are the rows of a cached statement; closing them frees the
// statement for the next query, or finalizes it if it was dropped from the
// cache meanwhile.
type cachedRows struct {
	sqliteRows
	c     *cachingConn
	query string
	st    driver.Stmt
}

func (r *cachedRows) Close() error {
	err := r.sqliteRows.Close()
	delete(r.c.busy, r.st)
	if r.c.stmts[r.query] != r.st {
		err = errors.Join(err, r.st.Close())
	}
	return err
}

// sqliteRows is what the driver's rows implement; cachedRows forwards all
// of it.
type sqliteRows interface {
	driver.Rows
	driver.RowsColumnTypeDatabaseTypeName
	driver.RowsColumnTypeLength
	driver.RowsColumnTypeNullable
	driver.RowsColumnTypePrecisionScale
	driver.RowsColumnTypeScanType
}

// Close finalizes the cached statements, then closes the connection
// (database/sql closes rows before their connection).
func (c *cachingConn) Close() error {
	return errors.Join(c.closeStmts(), c.sqliteConn.Close())
}
