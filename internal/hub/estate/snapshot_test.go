package estate

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/recommend"
	"github.com/ospo-project/ospo/internal/store/sqldb"
	"github.com/ospo-project/ospo/internal/store/sqlite"
)

// TestSnapshotRefresh checks that a snapshot past its TTL is kept while
// the store has not changed, rebuilt when it has, and rebuilt anyway once
// older than maxSnapshotAge.
func TestSnapshotRefresh(t *testing.T) {
	ctx := context.Background()
	st := tempStore(ctx, t)
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

// TestModelFollowsWrites checks that the recommendation model is not
// rebuilt when a snapshot is rebuilt only for its age (the store
// unchanged), is rebuilt after a write, and after maxModelAge anyway.
func TestModelFollowsWrites(t *testing.T) {
	ctx := context.Background()
	st := tempStore(ctx, t)
	add := func(key string) {
		t.Helper()
		p := &catalog.Project{Key: key, Name: key, Path: "/src/" + key, ScannerVersion: catalog.ScannerVersion,
			Dependencies: []catalog.Dependency{{Ecosystem: "npm", Name: "left-pad", Version: "1.0.0", PURL: "pkg:npm/left-pad@1.0.0", Direct: true}}}
		if _, err := st.ReplaceProject(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	add("a")
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := New(st, 30*time.Second)
	c.now = func() time.Time { return now }
	// settled waits until neither the snapshot nor the model is being
	// rebuilt and returns the model.
	settled := func() *recommend.Model {
		t.Helper()
		for deadline := time.Now().Add(30 * time.Second); ; {
			c.mu.Lock()
			busy, m := c.rebuilding || c.modelBuilding, c.model
			c.mu.Unlock()
			if !busy {
				return m
			}
			if time.Now().After(deadline) {
				t.Fatal("rebuild did not finish")
			}
			time.Sleep(time.Millisecond)
		}
	}
	// after advances the clock by d, lets the snapshot refresh, then asks
	// for the model and reports whether that started a rebuild of it.
	after := func(d time.Duration) bool {
		t.Helper()
		now = now.Add(d)
		if _, err := c.Snapshot(ctx); err != nil {
			t.Fatal(err)
		}
		settled()
		if _, err := c.Recommender(ctx); err != nil {
			t.Fatal(err)
		}
		c.mu.Lock()
		defer c.mu.Unlock()
		return c.modelBuilding
	}
	first, err := c.Recommender(ctx)
	if err != nil || first == nil {
		t.Fatalf("first model: %v, %v", first, err)
	}
	snap := c.snap
	if after(maxSnapshotAge) {
		t.Error("store unchanged: a new snapshot for the clock rebuilt the model")
	}
	if c.snap == snap {
		t.Fatal("the snapshot was not rebuilt after maxSnapshotAge: the test proves nothing")
	}
	if m := settled(); m != first {
		t.Error("store unchanged: the model was replaced")
	}
	add("b")
	after(31 * time.Second)
	if m := settled(); m == first {
		t.Error("after a write: the model was not rebuilt")
	}
	second := settled()
	for range maxModelAge / maxSnapshotAge {
		after(maxSnapshotAge)
	}
	if m := settled(); m == second {
		t.Errorf("a model older than %v was kept", maxModelAge)
	}
}

// tempStore is a new SQLite catalogue in the test's temporary directory,
// closed when the test ends.
func tempStore(ctx context.Context, t *testing.T) *sqldb.Store {
	t.Helper()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "ospo.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}
