package govern

import (
	"context"
	"fmt"
	"sync"

	"github.com/ospo-project/ospo/internal/catalog"
)

// ErrQueueFull: the background evaluator holds as many requests as it may;
// the request stays evaluating and is taken up later (Tick, or the next
// start of the process).
var ErrQueueFull = catalog.Kind("the evaluation queue is full", catalog.ErrRateLimited)

// Background evaluates requests in the process that filed them: the hub's
// worker where there is no job queue (SQLite). Its Schedule is
// Options.Schedule for the service the hub uses. It runs at most Workers
// evaluations at once and holds at most Capacity waiting; a request
// scheduled while it waits or runs is not queued twice. The zero value is
// not usable: make one with NewBackground. It is safe for concurrent use.
type Background struct {
	svc     *Service
	workers int
	queue   chan int64
	mu      sync.Mutex
	pending map[int64]bool
}

// NewBackground returns a background evaluator over svc with workers
// goroutines (at least 1) and room for capacity waiting requests (at
// least 1). Nothing runs until Run.
func NewBackground(svc *Service, workers, capacity int) *Background {
	return &Background{svc: svc, workers: max(workers, 1), queue: make(chan int64, max(capacity, 1)), pending: map[int64]bool{}}
}

// Schedule queues the evaluation of request id. It returns ErrQueueFull
// when Capacity requests wait already; nil when id is queued or already
// waiting or running.
func (b *Background) Schedule(_ context.Context, id int64) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.pending[id] {
		return nil
	}
	select {
	case b.queue <- id:
		b.pending[id] = true
		return nil
	default:
		return fmt.Errorf("request %d: %w", id, ErrQueueFull)
	}
}

// TakeUp queues every request left evaluating, by a process that stopped
// before it finished: what a hub that is the only evaluator (SQLite) does
// as it starts. It returns how many it queued; ErrQueueFull when not all
// fit (Tick takes up the others).
func (b *Background) TakeUp(ctx context.Context) (int, error) {
	rs, err := b.svc.Evaluating(ctx)
	if err != nil {
		return 0, fmt.Errorf("requests left evaluating: %w", err)
	}
	for i, r := range rs {
		if err := b.Schedule(ctx, r.ID); err != nil {
			return i, err
		}
	}
	return len(rs), nil
}

// Run evaluates queued requests until ctx is done, and returns ctx's
// error. An evaluation cut short by ctx leaves its request evaluating; the
// next TakeUp or Tick takes it up.
func (b *Background) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	for range b.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-ctx.Done():
					return
				case id := <-b.queue:
					b.evaluate(ctx, id)
				}
			}
		}()
	}
	wg.Wait()
	return ctx.Err()
}

// evaluate runs one evaluation; a failure (or a panic) is logged and the
// worker goes on.
func (b *Background) evaluate(ctx context.Context, id int64) {
	defer func() {
		if v := recover(); v != nil {
			b.svc.o.Log.Error("evaluate request: panic", "request", id, "panic", v)
		}
		b.mu.Lock()
		delete(b.pending, id)
		b.mu.Unlock()
	}()
	if _, err := b.svc.EvaluateRequest(ctx, id); err != nil {
		b.svc.o.Log.Warn("evaluate request", "request", id, "err", err)
	}
}
