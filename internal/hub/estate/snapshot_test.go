package estate

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store/sqlite"
)

// TestSnapshotRefresh checks that a snapshot past its TTL is kept while
// the store has not changed, rebuilt when it has, and rebuilt anyway once
// older than maxSnapshotAge.
func TestSnapshotRefresh(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "ospo.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	add := func(key string) {
		t.Helper()
		p := &catalog.Project{Key: key, Name: key, Path: "/src/" + key, ScannerVersion: catalog.ScannerVersion}
		if _, err := st.ReplaceProject(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	add("a")
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := New(st, 30*time.Second)
	c.now = func() time.Time { return now }
	// refreshed advances the clock past the TTL, asks for the snapshot (which
	// starts a background refresh and returns the previous one) and waits
	// for the refresh to finish.
	refreshed := func() *Snapshot {
		t.Helper()
		now = now.Add(31 * time.Second)
		if _, err := c.Snapshot(ctx); err != nil {
			t.Fatal(err)
		}
		for deadline := time.Now().Add(10 * time.Second); ; {
			c.mu.Lock()
			busy, e := c.rebuilding, c.snap
			c.mu.Unlock()
			if !busy {
				return e
			}
			if time.Now().After(deadline) {
				t.Fatal("refresh did not finish")
			}
			time.Sleep(time.Millisecond)
		}
	}

	first, err := c.Snapshot(ctx)
	if err != nil || first.Projects != 1 {
		t.Fatalf("first snapshot: %v, %v", first, err)
	}
	if e := refreshed(); e != first {
		t.Error("unchanged store: the snapshot was rebuilt")
	}
	if e, _ := c.Snapshot(ctx); e != first {
		t.Error("the kept snapshot is not served within the TTL")
	}
	add("b")
	second := refreshed()
	if second == first || second.Projects != 2 {
		t.Errorf("after a write: snapshot %p with %d projects, want a new one with 2", second, second.Projects)
	}
	now = now.Add(maxSnapshotAge)
	if e := refreshed(); e == second {
		t.Errorf("a snapshot older than %v was kept", maxSnapshotAge)
	}
}
