package cli_test

import (
	"context"
	"database/sql"
	"sync"
	"testing"

	_ "modernc.org/sqlite"
)

// TestConcurrentScans runs two real scans of one estate into one SQLite
// catalogue at the same time (--force, so both save every project whatever
// the interleaving) and checks that both succeed and that no HEAD got two
// history rows or two scorecards.
func TestConcurrentScans(t *testing.T) {
	db := isolate(t)
	root := buildEstate(t)
	var wg sync.WaitGroup
	results := make([]result, 2)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = run(t, context.Background(), "scan", "-q", "--force", root)
		}()
	}
	wg.Wait()
	for i, r := range results {
		if r.code != 0 {
			t.Fatalf("scan %d: exit %d\n%s%s", i, r.code, r.stdout, r.stderr)
		}
	}
	// A third, sequential forced scan of the same HEADs adds nothing either.
	if r := run(t, context.Background(), "scan", "-q", "--force", root); r.code != 0 {
		t.Fatalf("third scan: exit %d\n%s", r.code, r.stderr)
	}
	conn, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, table := range []string{"project_history", "project_scores"} {
		var rows, heads int
		q := `SELECT COUNT(*), COUNT(DISTINCT project_id || ' ' || head_commit) FROM ` + table
		if err := conn.QueryRow(q).Scan(&rows, &heads); err != nil {
			t.Fatal(err)
		}
		if rows != 2 || heads != 2 {
			t.Errorf("%s: %d rows for %d project HEADs, want 2 for 2", table, rows, heads)
		}
	}
}
