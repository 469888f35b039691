package jobs_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river/rivertype"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/jobs"
)

// schema returns a DSN selecting a schema of its own on the server at
// OSPO_TEST_POSTGRES (scripts/test starts a throwaway one), dropped when t
// ends; without a server the test skips.
func schema(t *testing.T) string {
	t.Helper()
	dsn := os.Getenv("OSPO_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("OSPO_TEST_POSTGRES is not set: run scripts/test, which starts a throwaway PostgreSQL")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	b := make([]byte, 6)
	rand.Read(b)
	name := "ospo_jobs_" + hex.EncodeToString(b)
	if _, err := conn.Exec(ctx, `CREATE SCHEMA `+name); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		conn, err := pgx.Connect(context.Background(), dsn)
		if err != nil {
			t.Errorf("drop schema: %v", err)
			return
		}
		defer conn.Close(context.Background())
		if _, err := conn.Exec(context.Background(), `DROP SCHEMA `+name+` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", name, err)
		}
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	return u.String()
}

func open(t *testing.T) *jobs.Queue {
	t.Helper()
	q, err := jobs.Open(context.Background(), schema(t), nil)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(q.Close)
	return q
}

// handlers scans by recording calls; a repository whose key starts with
// "poison" panics, as an extractor crashing on a hostile repository would,
// and one whose key starts with "block" waits until its context ends.
type handlers struct {
	mu      sync.Mutex
	scanned map[string]int
	derived int
	expired chan struct{}
	started chan string
	// rematched are the packages of each Rematch job run.
	rematched [][]catalog.PackageRef
	governs   chan struct{}
	// evaluated are the requests of each EvaluateRequest job run.
	evaluated chan int64
	digests   chan struct{}
}

func newHandlers() *handlers {
	return &handlers{scanned: map[string]int{}, started: make(chan string, 100), expired: make(chan struct{}, 100),
		governs: make(chan struct{}, 100), evaluated: make(chan int64, 100), digests: make(chan struct{}, 100)}
}

func (h *handlers) ScanRepo(ctx context.Context, a jobs.ScanRepo) (bool, error) {
	h.started <- a.Key
	switch {
	case strings.HasPrefix(a.Key, "poison"):
		panic("extractor crashed on " + a.Key)
	case strings.HasPrefix(a.Key, "block"):
		<-ctx.Done()
		return false, ctx.Err()
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.scanned[a.Key]++
	return true, nil
}

func (h *handlers) Discover(_ context.Context, r jobs.Rescan) ([]jobs.ScanRepo, error) {
	var out []jobs.ScanRepo
	for _, root := range r.Roots {
		out = append(out, jobs.ScanRepo{Key: root + "/a", Path: root + "/a"}, jobs.ScanRepo{Key: root + "/b", Path: root + "/b"})
	}
	return out, nil
}

func (h *handlers) SyncSource(context.Context, jobs.SyncSource) ([]string, error) {
	return nil, errors.New("no sources here")
}

func (h *handlers) Rematch(_ context.Context, a jobs.Rematch) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.rematched = append(h.rematched, a.Packages)
	return nil
}

func (h *handlers) Derive(context.Context) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.derived++
	return nil
}

func (h *handlers) ExpirePushes(context.Context) (int, error) {
	h.expired <- struct{}{}
	return 0, nil
}

func (h *handlers) Govern(context.Context) error {
	h.governs <- struct{}{}
	return nil
}

func (h *handlers) EvaluateRequest(_ context.Context, a jobs.EvaluateRequest) error {
	h.evaluated <- a.ID
	return nil
}

func (h *handlers) Digest(context.Context) error {
	h.digests <- struct{}{}
	return nil
}

// now retries a failed job at once, so that tests need not wait for
// River's backoff.
type now struct{}

func (now) NextRetry(*rivertype.JobRow) time.Time { return time.Now() }

// work runs a worker until the test ends.
func work(t *testing.T, q *jobs.Queue, h jobs.Handlers, opts jobs.WorkerOptions) (stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	started := make(chan struct{})
	opts.Started = func() { close(started) }
	if opts.RetryPolicy == nil {
		opts.RetryPolicy = now{}
	}
	done := make(chan error, 1)
	go func() { done <- q.Work(ctx, h, opts) }()
	select {
	case <-started:
	case err := <-done:
		t.Fatalf("Work: %v", err)
	}
	var once sync.Once
	var err error
	stop = func() error {
		once.Do(func() { cancel(); err = <-done })
		return err
	}
	t.Cleanup(func() { stop() })
	return stop
}

func wait(t *testing.T, q *jobs.Queue, ids []int64) jobs.Progress {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	p, err := q.Wait(ctx, ids, 50*time.Millisecond, nil)
	if err != nil {
		t.Fatalf("Wait: %v (%+v)", err, p)
	}
	return p
}

func ids(es []jobs.Enqueued) []int64 {
	out := make([]int64, len(es))
	for i, e := range es {
		out[i] = e.ID
	}
	return out
}

func TestScanJobsAreUniquePerRepository(t *testing.T) {
	q := open(t)
	ctx := context.Background()
	first, err := q.Enqueue(ctx, jobs.ScanRepo{Key: "k1", Path: "/a"}, jobs.ScanRepo{Key: "k2", Path: "/b"})
	if err != nil {
		t.Fatal(err)
	}
	// The same repository again, even from another path or forced, is
	// the job already queued.
	again, err := q.Enqueue(ctx, jobs.ScanRepo{Key: "k1", Path: "/elsewhere", Force: true})
	if err != nil {
		t.Fatal(err)
	}
	if !again[0].Duplicate || again[0].ID != first[0].ID {
		t.Fatalf("second k1 = %+v, want a duplicate of job %d", again[0], first[0].ID)
	}
	if first[0].Duplicate || first[1].Duplicate {
		t.Fatalf("first jobs marked duplicate: %+v", first)
	}

	h := newHandlers()
	work(t, q, h, jobs.WorkerOptions{Concurrency: 2})
	if p := wait(t, q, ids(first)); p.Done != 2 {
		t.Fatalf("progress %+v, want 2 done", p)
	}
	h.mu.Lock()
	if h.scanned["k1"] != 1 || h.scanned["k2"] != 1 {
		t.Errorf("scanned %v, want each once", h.scanned)
	}
	h.mu.Unlock()

	// Once finished, a repository can be queued again.
	later, err := q.Enqueue(ctx, jobs.ScanRepo{Key: "k1", Path: "/a"})
	if err != nil {
		t.Fatal(err)
	}
	if later[0].Duplicate {
		t.Fatal("a finished scan still blocks a new one")
	}
	wait(t, q, ids(later))
}

func TestPoisonJobIsParkedWithItsErrors(t *testing.T) {
	q := open(t)
	ctx := context.Background()
	h := newHandlers()
	work(t, q, h, jobs.WorkerOptions{Concurrency: 2})
	enq, err := q.Enqueue(ctx, jobs.ScanRepo{Key: "poison-1", Path: "/p"}, jobs.ScanRepo{Key: "good", Path: "/g"})
	if err != nil {
		t.Fatal(err)
	}
	p := wait(t, q, ids(enq))
	if p.Done != 1 || p.Failed != 1 {
		t.Fatalf("progress %+v, want the good one done and the poison one failed", p)
	}
	parked, err := q.Parked(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(parked) != 1 || parked[0].ID != enq[0].ID {
		t.Fatalf("parked %+v, want job %d alone", parked, enq[0].ID)
	}
	j := parked[0]
	want := jobs.ScanRepo{}.InsertOpts().MaxAttempts
	if j.Attempt != want || len(j.Errors) != want {
		t.Errorf("attempts %d, errors %d, want %d of each", j.Attempt, len(j.Errors), want)
	}
	for _, e := range j.Errors {
		if !strings.Contains(e, "extractor crashed on poison-1") {
			t.Errorf("error %q does not say what crashed", e)
		}
	}
	stats, err := q.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range stats {
		if s.Kind == jobs.KindScanRepo && (s.ParkedTotal != 1 || s.Completed != 1) {
			t.Errorf("scan stats %+v, want 1 parked and 1 completed", s)
		}
	}
	// A parked job can be retried by hand; it fails the same way.
	if err := q.Retry(ctx, j.ID); err != nil {
		t.Fatal(err)
	}
	if p := wait(t, q, []int64{j.ID}); p.Failed != 1 {
		t.Errorf("retried poison job: %+v", p)
	}
	if err := q.Retry(ctx, 1<<40); !errors.Is(err, jobs.ErrNoJob) {
		t.Errorf("Retry of a missing job = %v, want ErrNoJob", err)
	}
}

func TestCancelRunningJob(t *testing.T) {
	q := open(t)
	ctx := context.Background()
	h := newHandlers()
	work(t, q, h, jobs.WorkerOptions{})
	enq, err := q.Enqueue(ctx, jobs.ScanRepo{Key: "block-1", Path: "/b"})
	if err != nil {
		t.Fatal(err)
	}
	<-h.started
	if err := q.Cancel(ctx, enq[0].ID); err != nil {
		t.Fatal(err)
	}
	if p := wait(t, q, ids(enq)); p.Cancelled != 1 {
		t.Fatalf("progress %+v, want cancelled", p)
	}
}

func TestGracefulStopReleasesRunningJobs(t *testing.T) {
	q := open(t)
	ctx := context.Background()
	h := newHandlers()
	stop := work(t, q, h, jobs.WorkerOptions{StopTimeout: 100 * time.Millisecond})
	enq, err := q.Enqueue(ctx, jobs.ScanRepo{Key: "block-2", Path: "/b"})
	if err != nil {
		t.Fatal(err)
	}
	<-h.started
	if err := stop(); !errors.Is(err, context.Canceled) {
		t.Fatalf("Work after stop = %v, want context.Canceled", err)
	}
	// The job was interrupted by the stop, not lost: River releases it to
	// the queue (without counting the interrupted attempt).
	act, err := q.Active(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(act) != 1 || act[0].ID != enq[0].ID || act[0].State == "running" {
		t.Fatalf("after a graceful stop: %+v, want job %d queued again", act, enq[0].ID)
	}
}

func TestRescanQueuesScansAndDerives(t *testing.T) {
	q := open(t)
	ctx := context.Background()
	h := newHandlers()
	work(t, q, h, jobs.WorkerOptions{Concurrency: 2})
	enq, err := q.Enqueue(ctx, jobs.Rescan{Roots: []string{"/r1", "/r2"}})
	if err != nil {
		t.Fatal(err)
	}
	wait(t, q, ids(enq))
	// The rescan queued four scans, and they queued derivations; wait until
	// nothing is active.
	for {
		act, err := q.Active(ctx, 100)
		if err != nil {
			t.Fatal(err)
		}
		var left []int64
		for _, j := range act {
			left = append(left, j.ID)
		}
		if len(left) == 0 {
			break
		}
		wait(t, q, left)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.scanned) != 4 {
		t.Errorf("scanned %v, want the four repositories", h.scanned)
	}
	if h.derived < 1 || h.derived > 4 {
		t.Errorf("derived %d times, want between 1 and 4", h.derived)
	}
}

// The periodic expiry of held pushes runs on the leader's schedule (at
// start, then every interval).
func TestPeriodicExpirePushes(t *testing.T) {
	q := open(t)
	h := newHandlers()
	work(t, q, h, jobs.WorkerOptions{Periodic: []jobs.Periodic{{ID: "expire-pushes", Every: time.Hour, Args: jobs.ExpirePushes{}}}})
	select {
	case <-h.expired:
	case <-time.After(2 * time.Minute):
		t.Fatal("the periodic expire_pushes job did not run")
	}
}

func TestRematchJobCarriesThePackages(t *testing.T) {
	q := open(t)
	ctx := context.Background()
	h := newHandlers()
	work(t, q, h, jobs.WorkerOptions{})
	pkgs := []catalog.PackageRef{{Ecosystem: "npm", Name: "lodash"}, {Ecosystem: "Maven", Name: "com.fasterxml.jackson.core:jackson-databind"}}
	enq, err := q.Enqueue(ctx, jobs.Rematch{Packages: pkgs})
	if err != nil {
		t.Fatal(err)
	}
	if p := wait(t, q, ids(enq)); p.Done != 1 {
		t.Fatalf("progress %+v, want the job done", p)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.rematched) != 1 || !slices.Equal(h.rematched[0], pkgs) {
		t.Errorf("rematched %v, want one job with %v", h.rematched, pkgs)
	}
}

// The leader queues a periodic Digest job, which runs the handler.
func TestPeriodicDigest(t *testing.T) {
	q := open(t)
	h := newHandlers()
	work(t, q, h, jobs.WorkerOptions{Periodic: []jobs.Periodic{{ID: "health-digest", Every: time.Hour, Args: jobs.Digest{}}}})
	select {
	case <-h.digests:
	case <-time.After(2 * time.Minute):
		t.Fatal("no periodic digest job ran within two minutes of the worker's start")
	}
}

// The leader queues a periodic Govern job, which runs the handler; on
// start first, then on its schedule.
func TestPeriodicGovern(t *testing.T) {
	q := open(t)
	h := newHandlers()
	work(t, q, h, jobs.WorkerOptions{Periodic: []jobs.Periodic{{ID: "govern", Every: time.Hour, Args: jobs.Govern{}}}})
	select {
	case <-h.governs:
	case <-time.After(2 * time.Minute):
		t.Fatal("no periodic govern job ran within two minutes of the worker's start")
	}
	enq, err := q.Enqueue(context.Background(), jobs.Govern{})
	if err != nil {
		t.Fatal(err)
	}
	wait(t, q, ids(enq))
}

// An evaluation of a request is queued once while active (the hub's and
// the periodic govern job's queueing of the same request share one job),
// runs the handler, and can be queued again once finished.
func TestEvaluateRequestJob(t *testing.T) {
	q := open(t)
	ctx := context.Background()
	var enq []jobs.Enqueued
	for _, id := range []int64{7, 7, 8} {
		e, err := q.Enqueue(ctx, jobs.EvaluateRequest{ID: id})
		if err != nil {
			t.Fatal(err)
		}
		enq = append(enq, e...)
	}
	if enq[0].Duplicate || !enq[1].Duplicate || enq[1].ID != enq[0].ID || enq[2].Duplicate {
		t.Fatalf("enqueued %+v: want the second evaluation of request 7 to be the first's", enq)
	}
	h := newHandlers()
	work(t, q, h, jobs.WorkerOptions{})
	wait(t, q, []int64{enq[0].ID, enq[2].ID})
	got := []int64{<-h.evaluated, <-h.evaluated}
	slices.Sort(got)
	if !slices.Equal(got, []int64{7, 8}) || len(h.evaluated) != 0 {
		t.Fatalf("evaluated %v (+%d more), want [7 8]", got, len(h.evaluated))
	}
	again, err := q.Enqueue(ctx, jobs.EvaluateRequest{ID: 7})
	if err != nil || again[0].Duplicate {
		t.Fatalf("queue a finished evaluation again: %+v, %v", again, err)
	}
	wait(t, q, ids(again))
	if id := <-h.evaluated; id != 7 {
		t.Errorf("evaluated %d, want 7", id)
	}
}
