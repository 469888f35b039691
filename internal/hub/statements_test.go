package hub_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"modernc.org/sqlite"

	"github.com/ospo-project/ospo/internal/hub"
	"github.com/ospo-project/ospo/internal/store"
	"github.com/ospo-project/ospo/internal/store/postgres"
	"github.com/ospo-project/ospo/internal/store/sqldb"
	ospoSQLite "github.com/ospo-project/ospo/internal/store/sqlite"
	"github.com/ospo-project/ospo/internal/store/teststore"
)

// TestPageStatements counts the statements and transactions that a
// project's page and a person's page send to the store, once their caches
// are warm: each is a round trip to a database server (two more for a
// transaction's BEGIN and COMMIT), and on PostgreSQL each connection
// prepares and plans each statement the first time it runs it, so that a
// burst of requests on the heaviest pages waited mostly for these. It
// fails when a change makes a page send more; a change that makes it send
// fewer lowers the figures here. The statements are counted at the
// database driver, for the request's context only (the hub's background
// work is not counted), on SQLite (the same queries as PostgreSQL: package
// sqldb holds them all).
func TestPageStatements(t *testing.T) {
	st := countingSQLite(t)
	f := newFixture(t, func(*testing.T) store.Store { return st })
	h, err := hub.New(st, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	get := func(ctx context.Context, path string) int {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil).WithContext(ctx))
		return rec.Code
	}
	// The recommendation model (similar projects, recommendations) is
	// built in the background on first use: wait for it, uncounted.
	for get(context.Background(), "/api/v1/people/jane/recommendations") != http.StatusOK {
	}
	for _, tc := range []struct {
		path                     string
		statements, transactions int64
	}{
		// The project and its facts (one transaction), the advisories
		// of its packages (another), the opt-outs (it has expertise), its
		// score history, forge repositories, tracker issues and builds
		// (one statement each, no transaction). Before the sixth pass
		// of issue 19: 21 statements in 7 transactions.
		{fmt.Sprintf("/projects/%d", f.alphaID), 20, 2},
		// The person with their projects and activity (one transaction),
		// their events and the catalogue's entities. Before: 9 in 5.
		{"/people/jane", 9, 1},
	} {
		t.Run(tc.path, func(t *testing.T) {
			if code := get(context.Background(), tc.path); code != http.StatusOK {
				t.Fatalf("GET %s = %d", tc.path, code)
			}
			var n counts
			if code := get(context.WithValue(context.Background(), countsKey{}, &n), tc.path); code != http.StatusOK {
				t.Fatalf("GET %s = %d", tc.path, code)
			}
			s, tx := n.statements.Load(), n.transactions.Load()
			t.Logf("GET %s: %d statements, %d transactions", tc.path, s, tx)
			if s > tc.statements || tx > tc.transactions {
				t.Errorf("GET %s sent %d statements in %d transactions to the store, want at most %d in %d",
					tc.path, s, tx, tc.statements, tc.transactions)
			}
		})
	}
}

// counts are the statements and transactions sent with a context holding
// them under countsKey.
type counts struct{ statements, transactions atomic.Int64 }

type countsKey struct{}

func countOf(ctx context.Context) *counts {
	n, _ := ctx.Value(countsKey{}).(*counts)
	return n
}

// countingSQLite opens a SQLite catalogue in a temporary directory as
// package sqlite does (a writer and a pool of readers), through
// connections that count what is sent with a context holding counts.
func countingSQLite(t *testing.T) store.Store {
	t.Helper()
	dsn := "file:" + filepath.Join(t.TempDir(), "ospo.db") + "?_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=journal_mode(wal)"
	open := func(n int) *sql.DB {
		base, err := sqlite.NewConnector(dsn)
		if err != nil {
			t.Fatal(err)
		}
		db := sql.OpenDB(countingConnector{base})
		db.SetMaxOpenConns(n)
		return db
	}
	w := open(1)
	if err := w.Ping(); err != nil {
		t.Fatal(err)
	}
	st, err := sqldb.New(context.Background(), w, open(4), ospoSQLite.Dialect)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

type countingConnector struct{ base driver.Connector }

func (c countingConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.base.Connect(ctx)
	if err != nil {
		return nil, err
	}
	inner, ok := conn.(driverConn)
	if !ok {
		conn.Close()
		return nil, fmt.Errorf("sqlite connection %T lacks the context methods", conn)
	}
	return countingConn{inner}, nil
}

func (c countingConnector) Driver() driver.Driver { return c.base.Driver() }

// driverConn is what the SQLite driver's connections implement and
// database/sql uses; countingConn forwards all of it.
type driverConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
}

type countingConn struct{ driverConn }

func (c countingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if n := countOf(ctx); n != nil {
		n.transactions.Add(1)
	}
	return c.driverConn.BeginTx(ctx, opts)
}

func (c countingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	if n := countOf(ctx); n != nil {
		n.statements.Add(1)
	}
	return c.driverConn.ExecContext(ctx, query, args)
}

func (c countingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if n := countOf(ctx); n != nil {
		n.statements.Add(1)
	}
	return c.driverConn.QueryContext(ctx, query, args)
}

func (c countingConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	if n := countOf(ctx); n != nil {
		n.statements.Add(1)
	}
	return c.driverConn.PrepareContext(ctx, query)
}

// TestStartWarmReadsOnEveryConnection (PostgreSQL): once StartWarm reports
// the hub warm, each of the store's 16 connections has run the pages'
// reads after the tables' warm-up (what each ran last is not that DO
// block), so that the first requests on any of them find the pages'
// statements prepared and planned.
func TestStartWarmReadsOnEveryConnection(t *testing.T) {
	dsn := os.Getenv("OSPO_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("OSPO_TEST_POSTGRES is not set: run scripts/test, which starts a throwaway PostgreSQL")
	}
	b := make([]byte, 6)
	rand.Read(b)
	app := "ospo_hubwarm_" + hex.EncodeToString(b)
	u, err := url.Parse(teststore.Schema(t, dsn))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("application_name", app)
	u.RawQuery = q.Encode()
	f := newFixture(t, func(t *testing.T) store.Store {
		st, err := postgres.Open(context.Background(), u.String())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	})
	h, err := hub.New(f.st, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	done := make(chan error, 1)
	h.StartWarm(ctx, func(_ time.Duration, err error) { done <- err })
	if err := <-done; err != nil {
		t.Fatalf("warm: %v", err)
	}
	last := teststore.LastQueries(t, dsn, app)
	for _, q := range last {
		if strings.HasPrefix(q, "DO $$") {
			t.Errorf("a connection ran the tables' warm-up last, not the pages' reads")
		}
	}
	if n := len(last); n != 16 {
		t.Errorf("%d connections open after warming, want the pool's 16", n)
	}
}
