package govern

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/analyze"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/governance"
	"github.com/ospo-project/ospo/internal/notify"
	"github.com/ospo-project/ospo/internal/store"
	"github.com/ospo-project/ospo/internal/store/teststore"
)

// queued records the evaluations a front end queued, and runs none: as if
// the process holding the queue died.
type queued struct {
	mu  sync.Mutex
	ids []int64
}

func (q *queued) schedule(_ context.Context, id int64) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.ids = append(q.ids, id)
	return nil
}

func (q *queued) got() []int64 {
	q.mu.Lock()
	defer q.mu.Unlock()
	return slices.Clone(q.ids)
}

// waitEvaluated waits until request id has no item evaluating.
func waitEvaluated(t *testing.T, st store.Store, id int64) *governance.Request {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		r, err := st.Request(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if !r.Evaluating() {
			return r
		}
		if time.Now().After(deadline) {
			t.Fatalf("request %d still evaluating after 2 minutes: %+v", id, r.Checklist)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestEvaluateLater: an open-source request filed through a queue is
// stored at once with its automatic items evaluating; it cannot be
// approved and no reviewer is told until the evaluation ran. The queued
// evaluation is lost (its process died): Tick leaves it alone while it is
// recent, queues it again once it is stuck, and without a queue evaluates
// it itself; a second evaluation records nothing.
func TestEvaluateLater(t *testing.T) {
	teststore.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		f := setup(t, st, nil)
		q := &queued{}
		hub := f.svc.WithSchedule(q.schedule)
		r, err := hub.Open(ctx, f.who["ann"], governance.Draft{Kind: governance.KindOpenSource, Subject: f.key})
		if err != nil {
			t.Fatal(err)
		}
		head := strings.TrimSpace(gitOut(t, f.dir, "rev-parse", "HEAD"))
		stored, err := st.Request(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, got := range []*governance.Request{r, stored} {
			if got.State != governance.StateReview || got.Commit != head || !got.Evaluating() {
				t.Fatalf("filed: %s at %s, evaluating %v; want review at %s, evaluating", got.State, got.Commit, got.Evaluating(), head)
			}
			for _, it := range got.Checklist {
				if it.Auto && (it.Status != governance.Evaluating || it.Commit != head) {
					t.Errorf("automatic item %+v: want evaluating at %s", it, head)
				}
			}
		}
		if n := len(stored.Checklist); n != len(AutoItems(Evidence{Result: &analyze.Result{Project: &catalog.Project{}}}, Thresholds{}))+len(governance.DefaultQuestions[governance.KindOpenSource]) {
			t.Errorf("%d checklist items while evaluating", n)
		}
		if got := q.got(); !slices.Equal(got, []int64{r.ID}) {
			t.Errorf("queued %v, want [%d]", got, r.ID)
		}
		if n := f.hooks.to("olga@example.com", notify.TopicRequestWaiting); n != 0 {
			t.Errorf("a reviewer was told before the evaluation: %d messages", n)
		}
		_, err = hub.Act(ctx, f.who["olga"], r.ID, governance.Step{Action: governance.ActApprove})
		if f := catalog.FaultOf(err); !errors.Is(err, governance.ErrEvaluating) || f.Status != 409 || !strings.Contains(f.Text, "still being evaluated") {
			t.Fatalf("approval while evaluating: %v (status %d), want a conflict", err, catalog.FaultOf(err).Status)
		}
		if rs, _ := hub.ToReview(ctx, f.who["olga"]); len(rs) != 0 {
			t.Errorf("an evaluating request waits on a reviewer: %v", rs)
		}
		if _, err := hub.Act(ctx, f.who["olga"], r.ID, governance.Step{Action: governance.ActEvaluate}); !errors.Is(err, catalog.ErrInvalid) {
			t.Errorf("a person recorded an evaluation: %v", err)
		}

		// Recent: not taken up.
		f.now = t0.Add(time.Minute)
		if rep, err := hub.Tick(ctx, 0); err != nil || len(rep.Evaluated) != 0 || len(q.got()) != 1 {
			t.Fatalf("tick a minute on: %+v, %v; queued %v", rep, err, q.got())
		}
		// Stuck: queued again.
		f.now = t0.Add(DefaultStuckAfter + time.Minute)
		if rep, err := hub.Tick(ctx, 0); err != nil || !slices.Equal(rep.Evaluated, []int64{r.ID}) || len(q.got()) != 2 {
			t.Fatalf("tick once stuck: %+v, %v; queued %v", rep, err, q.got())
		}
		// Without a queue (cron on SQLite): evaluated here.
		rep, err := f.svc.Tick(ctx, 0)
		if err != nil || !slices.Equal(rep.Evaluated, []int64{r.ID}) {
			t.Fatalf("tick without a queue: %+v, %v", rep, err)
		}
		done, _ := st.Request(ctx, r.ID)
		if done.Evaluating() || done.Commit != head || item(done, governance.ItemSecrets).Status != governance.Fail ||
			item(done, governance.ItemLicense).Value != "MIT" || done.State != governance.StateReview {
			t.Fatalf("after the evaluation: %+v", done)
		}
		last := done.Events[len(done.Events)-1]
		if last.Action != governance.ActEvaluate || last.By != System || !strings.Contains(last.Text, "evaluated at "+head[:12]) {
			t.Errorf("last event %+v", last)
		}
		if n := f.hooks.to("olga@example.com", notify.TopicRequestWaiting); n != 1 {
			t.Errorf("reviewer told %d times after the evaluation, want 1", n)
		}
		// Once more (a retried job): nothing changes, nothing is audited.
		again, err := f.svc.EvaluateRequest(ctx, r.ID)
		if err != nil || again.Version != done.Version {
			t.Fatalf("second evaluation: version %d, %v; want %d", again.Version, err, done.Version)
		}
		if got := actions(t, st, fmt.Sprint(r.ID)); !slices.Equal(got, []string{"request.open", "request.evaluate"}) {
			t.Errorf("audit %v", got)
		}
		es, _ := st.ListAudit(ctx, store.AuditFilter{Object: fmt.Sprintf("request:%d", r.ID), Action: "request.evaluate"})
		if len(es) != 1 || es[0].Actor != System || es[0].Source != "workflow" {
			t.Errorf("evaluation audited as %+v", es)
		}
		if _, err := hub.Act(ctx, f.who["olga"], r.ID, governance.Step{Action: governance.ActApprove}); err != nil {
			t.Fatalf("approval once evaluated: %v", err)
		}
	})
}

// TestBackground: the hub's in-process evaluator evaluates what the hub
// files, and takes up (as the hub starts) what a previous process left
// evaluating.
func TestBackground(t *testing.T) {
	teststore.Each(t, func(t *testing.T, st store.Store) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		f := setup(t, st, nil)
		// Filed by a process that died before evaluating it.
		lost, err := f.svc.WithSchedule((&queued{}).schedule).Open(ctx, f.who["ann"], governance.Draft{Kind: governance.KindOpenSource, Subject: f.key, Title: "lost"})
		if err != nil || !lost.Evaluating() {
			t.Fatalf("lost request: %+v, %v", lost, err)
		}
		bg := NewBackground(f.svc, 1, 8)
		hub := f.svc.WithSchedule(bg.Schedule)
		if n, err := bg.TakeUp(ctx); err != nil || n != 1 {
			t.Fatalf("TakeUp = %d, %v; want the lost request", n, err)
		}
		stopped := make(chan error, 1)
		go func() { stopped <- bg.Run(ctx) }()
		r, err := hub.Open(ctx, f.who["ann"], governance.Draft{Kind: governance.KindOpenSource, Subject: f.key, Title: "new"})
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []int64{lost.ID, r.ID} {
			got := waitEvaluated(t, st, id)
			if item(got, governance.ItemSecrets).Status != governance.Fail || got.State != governance.StateReview {
				t.Errorf("request %d after the background evaluation: %+v", id, got)
			}
		}
		cancel()
		if err := <-stopped; !errors.Is(err, context.Canceled) {
			t.Errorf("Run returned %v", err)
		}
	})
}

// A full queue refuses more (the request stays evaluating for Tick); a
// request already waiting is not queued twice.
func TestBackgroundBounded(t *testing.T) {
	bg := NewBackground(New(Options{Store: nil}), 1, 2)
	for _, id := range []int64{1, 2, 1} {
		if err := bg.Schedule(context.Background(), id); err != nil {
			t.Fatalf("schedule %d: %v", id, err)
		}
	}
	if err := bg.Schedule(context.Background(), 3); !errors.Is(err, ErrQueueFull) {
		t.Fatalf("third request in a queue of two: %v", err)
	}
}
