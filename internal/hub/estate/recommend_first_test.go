package estate

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store"
)

// blockedDeps is a store whose DirectDependencies (what the recommendation
// model reads first) waits until release is closed, and counts its calls.
type blockedDeps struct {
	store.Store
	release chan struct{}
	mu      sync.Mutex
	calls   int
}

func (b *blockedDeps) DirectDependencies(ctx context.Context, ids []int64) (map[int64][]catalog.Dependency, error) {
	b.mu.Lock()
	b.calls++
	b.mu.Unlock()
	<-b.release
	return b.Store.DirectDependencies(ctx, ids)
}

// TestFirstModelBuiltOnceInBackground checks that while the first
// recommendation model is being built, callers get ErrModelNotReady after
// firstModelWait (or their context's error) instead of each starting a
// build bound to their request, and that the one build, finished, serves
// them all.
func TestFirstModelBuiltOnceInBackground(t *testing.T) {
	ctx := context.Background()
	st := tempStore(ctx, t)
	p := &catalog.Project{Key: "a", Name: "a", Path: "/src/a", ScannerVersion: catalog.ScannerVersion,
		Dependencies: []catalog.Dependency{{PURL: "pkg:npm/left-pad@1.0.0", Ecosystem: "npm", Name: "left-pad", Version: "1.0.0", Direct: true}}}
	if _, err := st.ReplaceProject(ctx, p); err != nil {
		t.Fatal(err)
	}
	b := &blockedDeps{Store: st, release: make(chan struct{})}
	c := New(b, time.Minute)
	defer func(w time.Duration) { firstModelWait = w }(firstModelWait)
	firstModelWait = 50 * time.Millisecond
	for range 3 {
		if _, err := c.Recommender(ctx); !errors.Is(err, ErrModelNotReady) || !errors.Is(err, catalog.ErrRateLimited) {
			t.Fatalf("Recommender while the first model is built: %v, want ErrModelNotReady", err)
		}
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := c.Recommender(cancelled); !errors.Is(err, context.Canceled) {
		t.Errorf("Recommender with a cancelled context: %v", err)
	}
	close(b.release)
	firstModelWait = time.Minute // the build is under way: wait for it
	m, err := c.Recommender(ctx)
	if err != nil || m == nil {
		t.Fatalf("Recommender after the build: %v, %v", m, err)
	}
	if again, err := c.Recommender(ctx); err != nil || again != m {
		t.Errorf("second call: %p, %v; want the same model %p", again, err, m)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.calls != 1 {
		t.Errorf("the model's inputs were read %d times, want once (one build for every caller)", b.calls)
	}
}
