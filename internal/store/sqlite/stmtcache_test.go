package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
)

// TestCachingConnector runs statements through a writer connection: each
// distinct statement is prepared once and reused, results are those of an
// uncached connection, a failing statement does not break the cached one,
// and the cache stays bounded.
func TestCachingConnector(t *testing.T) {
	ctx := context.Background()
	db := cachingDB(t)
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	cached := func() map[string]bool {
		got := map[string]bool{}
		err := conn.Raw(func(dc any) error {
			for q := range dc.(*cachingConn).stmts {
				got[q] = true
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	if _, err := conn.ExecContext(ctx, `CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	const ins = `INSERT INTO t (k, v) VALUES (?, ?)`
	for i := range 3 {
		res, err := conn.ExecContext(ctx, ins, i, fmt.Sprint("v", i))
		if err != nil {
			t.Fatal(err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			t.Fatalf("insert %d affected %d rows, %v", i, n, err)
		}
		if id, err := res.LastInsertId(); err != nil || id != int64(i) {
			t.Fatalf("insert %d: last insert id %d, %v", i, id, err)
		}
	}
	if _, err := conn.ExecContext(ctx, ins, 1, "again"); err == nil {
		t.Fatal("inserting a duplicate key succeeded")
	}
	if _, err := conn.ExecContext(ctx, ins, 3, "v3"); err != nil {
		t.Fatalf("the cached insert after a failed one: %v", err)
	}
	var n int
	var vs string
	if err := conn.QueryRowContext(ctx, `SELECT COUNT(*), group_concat(v, ',') FROM t`).Scan(&n, &vs); err != nil {
		t.Fatal(err)
	}
	if n != 4 || vs != "v0,v1,v2,v3" {
		t.Fatalf("table holds %d rows %q, want 4 rows v0,v1,v2,v3", n, vs)
	}
	if got := cached(); !got[ins] || len(got) != 3 {
		t.Fatalf("cached statements = %v, want the create, the insert and the select", got)
	}
	for i := range maxCachedStmts + 10 {
		if _, err := conn.ExecContext(ctx, fmt.Sprintf(`UPDATE t SET v = v WHERE k = %d`, i)); err != nil {
			t.Fatal(err)
		}
	}
	if got := len(cached()); got > maxCachedStmts || got == 0 {
		t.Fatalf("%d statements cached, want 1 to %d", got, maxCachedStmts)
	}
}

// TestCachingConnectorQueries reads rows of a cached query while the same
// query runs again (it goes through its own statement), and after the cache
// was emptied under open rows (they stay readable).
func TestCachingConnectorQueries(t *testing.T) {
	ctx := context.Background()
	db := cachingDB(t)
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `CREATE TABLE t (k INTEGER PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		if _, err := tx.ExecContext(ctx, `INSERT INTO t (k) VALUES (?)`, i); err != nil {
			t.Fatal(err)
		}
	}
	const q = `SELECT k FROM t WHERE k >= ? ORDER BY k`
	outer, err := tx.QueryContext(ctx, q, 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []int
	for outer.Next() {
		var k int
		if err := outer.Scan(&k); err != nil {
			t.Fatal(err)
		}
		inner := 0
		if err := tx.QueryRowContext(ctx, q, k).Scan(&inner); err != nil || inner != k {
			t.Fatalf("the query again under open rows at %d: %d, %v", k, inner, err)
		}
		if k == 2 { // empty the cache while outer's statement is busy
			for i := range maxCachedStmts + 1 {
				if _, err := tx.ExecContext(ctx, fmt.Sprintf(`UPDATE t SET k = k WHERE k = %d`, i)); err != nil {
					t.Fatal(err)
				}
			}
		}
		got = append(got, k)
	}
	if err := outer.Close(); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != "[0 1 2 3 4]" {
		t.Fatalf("rows read = %v, want [0 1 2 3 4]", got)
	}
	for range 2 { // cached again, and freed by the rows' close
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM t WHERE k >= ?`, 1).Scan(&n); err != nil || n != 4 {
			t.Fatalf("count = %d, %v; want 4", n, err)
		}
	}
}

// cachingDB is a one-connection pool of a new database through a caching
// connector, closed when the test ends.
func cachingDB(t *testing.T) *sql.DB {
	t.Helper()
	c, err := newCachingConnector(uri(filepath.Join(t.TempDir(), "c.db")) + "?_txlock=immediate" + writePragmas)
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(c)
	t.Cleanup(func() { db.Close() })
	db.SetMaxOpenConns(1)
	return db
}
