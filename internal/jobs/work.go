package jobs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertype"
)

// Handlers do the work of each job kind; the composition root implements
// them with the analysis pipeline and the store. Each must be idempotent (a
// job may run again after its worker died) and must return when ctx is
// cancelled. An error fails the attempt: the job is retried with backoff
// until its kind's MaxAttempts, then parked with every attempt's error.
// A panic is an error like any other.
type Handlers interface {
	// ScanRepo scans one repository into the catalogue. It reports whether
	// the catalogue changed (false when the repository was unchanged).
	ScanRepo(ctx context.Context, a ScanRepo) (changed bool, err error)
	// Discover lists the repositories under roots, as ScanRepo jobs.
	Discover(ctx context.Context, a Rescan) ([]ScanRepo, error)
	// SyncSource syncs one source and returns the directories of the
	// mirrors that moved, to be rescanned.
	SyncSource(ctx context.Context, a SyncSource) (roots []string, err error)
	// Derive recomputes what is derived from the whole catalogue.
	Derive(ctx context.Context) error
	// ExpirePushes discards the push proxy's pushes held past their time
	// and returns how many.
	ExpirePushes(ctx context.Context) (int, error)
	// Rematch re-matches stored inventories against the advisories.
	Rematch(ctx context.Context, a Rematch) error
	// Govern does the governance workflow's periodic work.
	Govern(ctx context.Context) error
	// EvaluateRequest answers a governance request's automatic items.
	EvaluateRequest(ctx context.Context, a EvaluateRequest) error
	// Digest sends the weekly team health digests that are due.
	Digest(ctx context.Context) error
}

// WorkerOptions tune Work. The zero value is usable.
type WorkerOptions struct {
	// Concurrency is the number of jobs run at once; 0 means 1.
	Concurrency int
	// JobTimeout bounds one job; 0 means 35 minutes (a scan's own limit
	// per repository is 30 minutes).
	JobTimeout time.Duration
	// RescueAfter is how long a job may stay running before the leader
	// deems its worker dead and queues it again; 0 means JobTimeout plus
	// 5 minutes. It must exceed JobTimeout.
	RescueAfter time.Duration
	// StopTimeout is how long a stopping worker lets its running jobs
	// finish before cancelling them (they are then retried elsewhere);
	// 0 means 30 seconds.
	StopTimeout time.Duration
	// Periodic jobs are queued by the elected leader on their schedules.
	Periodic []Periodic
	// RetryPolicy decides when a failed job is tried again; nil means
	// River's (attempt⁴ seconds, with jitter).
	RetryPolicy river.ClientRetryPolicy
	// ID names the worker in job attempts; empty means a random one.
	ID string
	// Started, if set, is called once the worker fetches jobs.
	Started func()
}

// Work processes jobs with h until ctx is done, then stops gracefully:
// it fetches no more jobs, lets the running ones finish for
// opts.StopTimeout, cancels those still running (their attempt fails and
// they are retried, by this worker or another) and returns ctx's error.
func (q *Queue) Work(ctx context.Context, h Handlers, opts WorkerOptions) error {
	if opts.Concurrency <= 0 {
		opts.Concurrency = 1
	}
	if opts.JobTimeout <= 0 {
		opts.JobTimeout = 35 * time.Minute
	}
	if opts.RescueAfter <= 0 {
		opts.RescueAfter = opts.JobTimeout + 5*time.Minute
	}
	if opts.RescueAfter <= opts.JobTimeout {
		return fmt.Errorf("worker: the rescue delay (%s) must exceed the job timeout (%s)", opts.RescueAfter, opts.JobTimeout)
	}
	if opts.StopTimeout <= 0 {
		opts.StopTimeout = 30 * time.Second
	}

	// The registry of job kinds: one line per kind.
	workers := river.NewWorkers()
	river.AddWorker(workers, &scanWorker{q: q, h: h})
	river.AddWorker(workers, &rescanWorker{q: q, h: h})
	river.AddWorker(workers, &syncWorker{q: q, h: h})
	river.AddWorker(workers, &deriveWorker{q: q, h: h})
	river.AddWorker(workers, &expirePushesWorker{h: h})
	river.AddWorker(workers, &rematchWorker{h: h})
	river.AddWorker(workers, &governWorker{h: h})
	river.AddWorker(workers, &evaluateWorker{h: h})
	river.AddWorker(workers, &digestWorker{h: h})

	var periodic []*river.PeriodicJob
	for _, p := range opts.Periodic {
		if p.Every <= 0 {
			return fmt.Errorf("worker: periodic job %s: interval must be positive", p.ID)
		}
		args := p.Args
		periodic = append(periodic, river.NewPeriodicJob(river.PeriodicInterval(p.Every),
			func() (river.JobArgs, *river.InsertOpts) { return args, nil },
			&river.PeriodicJobOpts{ID: p.ID, RunOnStart: true}))
	}
	client, err := river.NewClient(riverpgxv5.New(q.pool), &river.Config{
		ID:                   opts.ID,
		Logger:               q.log,
		Queues:               map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: opts.Concurrency}},
		Workers:              workers,
		PeriodicJobs:         periodic,
		JobTimeout:           opts.JobTimeout,
		RescueStuckJobsAfter: opts.RescueAfter,
		RetryPolicy:          opts.RetryPolicy,
		SoftStopTimeout:      opts.StopTimeout,
		// River waits 100 ms between two fetches by default: with one job
		// at a time and short jobs (a small repository scans in tens of
		// milliseconds) that wait, not the work, set the pace.
		FetchCooldown: 20 * time.Millisecond,
	})
	if err != nil {
		return fmt.Errorf("worker: %w", err)
	}
	// River hard-stops when the context given to Start is cancelled; the
	// graceful stop below is ours to start.
	if err := client.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("worker: start: %w", err)
	}
	if opts.Started != nil {
		opts.Started()
	}
	select {
	case <-ctx.Done():
	case <-client.Stopped():
		return errors.New("worker: stopped unexpectedly")
	}
	q.log.Info("worker stopping", "grace", opts.StopTimeout)
	stopCtx, cancel := context.WithTimeout(context.Background(), opts.StopTimeout+10*time.Second)
	defer cancel()
	if err := client.Stop(stopCtx); err != nil {
		q.log.Warn("worker: graceful stop timed out, cancelling running jobs", "error", err)
		hardCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := client.StopAndCancel(hardCtx); err != nil {
			return fmt.Errorf("worker: stop: %w", err)
		}
	}
	return ctx.Err()
}

type scanWorker struct {
	river.WorkerDefaults[ScanRepo]
	q *Queue
	h Handlers
}

func (w *scanWorker) Work(ctx context.Context, job *river.Job[ScanRepo]) error {
	changed, err := w.h.ScanRepo(ctx, job.Args)
	if err != nil {
		return fmt.Errorf("scan %s: %w", job.Args.Path, err)
	}
	if changed {
		return w.q.queueDerive(ctx)
	}
	return nil
}

// queueDerive queues a Derive after a change to the catalogue: none is
// inserted while one waits; if one runs, one follow-up is queued after it.
func (q *Queue) queueDerive(ctx context.Context) error {
	res, err := q.client.Insert(ctx, Derive{}, nil)
	if err != nil {
		return fmt.Errorf("queue derive: %w", err)
	}
	if res.UniqueSkippedAsDuplicate && res.Job.State == rivertype.JobStateRunning {
		if _, err := q.client.Insert(ctx, Derive{After: res.Job.ID}, nil); err != nil {
			return fmt.Errorf("queue derive: %w", err)
		}
	}
	return nil
}

type rescanWorker struct {
	river.WorkerDefaults[Rescan]
	q *Queue
	h Handlers
}

func (w *rescanWorker) Work(ctx context.Context, job *river.Job[Rescan]) error {
	repos, err := w.h.Discover(ctx, job.Args)
	if err != nil {
		return fmt.Errorf("discover %v: %w", job.Args.Roots, err)
	}
	args := make([]river.JobArgs, len(repos))
	for i, r := range repos {
		args[i] = r
	}
	_, err = w.q.Enqueue(ctx, args...)
	return err
}

type syncWorker struct {
	river.WorkerDefaults[SyncSource]
	q *Queue
	h Handlers
}

func (w *syncWorker) Work(ctx context.Context, job *river.Job[SyncSource]) error {
	roots, err := w.h.SyncSource(ctx, job.Args)
	if err != nil {
		return fmt.Errorf("sync %s: %w", job.Args.Name, err)
	}
	if len(roots) == 0 {
		return nil
	}
	_, err = w.q.Enqueue(ctx, Rescan{Roots: roots})
	return err
}

type governWorker struct {
	river.WorkerDefaults[Govern]
	h Handlers
}

func (w *governWorker) Work(ctx context.Context, _ *river.Job[Govern]) error {
	if err := w.h.Govern(ctx); err != nil {
		return fmt.Errorf("govern: %w", err)
	}
	return nil
}

type evaluateWorker struct {
	river.WorkerDefaults[EvaluateRequest]
	h Handlers
}

func (w *evaluateWorker) Work(ctx context.Context, job *river.Job[EvaluateRequest]) error {
	if err := w.h.EvaluateRequest(ctx, job.Args); err != nil {
		return fmt.Errorf("evaluate request %d: %w", job.Args.ID, err)
	}
	return nil
}

type digestWorker struct {
	river.WorkerDefaults[Digest]
	h Handlers
}

func (w *digestWorker) Work(ctx context.Context, _ *river.Job[Digest]) error {
	if err := w.h.Digest(ctx); err != nil {
		return fmt.Errorf("health digest: %w", err)
	}
	return nil
}

type deriveWorker struct {
	river.WorkerDefaults[Derive]
	q *Queue
	h Handlers
}

// deriveLock serialises Derive jobs across workers ('ospd').
const deriveLock = 1869836388

// Work runs Derive while holding an advisory lock, so that two derivations
// (a running one and its follow-up) never overlap; a follow-up that finds
// the lock taken is snoozed for a second, which costs no attempt.
func (w *deriveWorker) Work(ctx context.Context, _ *river.Job[Derive]) error {
	conn, err := w.q.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("derive: %w", err)
	}
	defer conn.Release()
	var got bool
	if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1)`, deriveLock).Scan(&got); err != nil {
		return fmt.Errorf("derive: lock: %w", err)
	}
	if !got {
		return river.JobSnooze(time.Second)
	}
	defer conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, deriveLock)
	return w.h.Derive(ctx)
}

type expirePushesWorker struct {
	river.WorkerDefaults[ExpirePushes]
	h Handlers
}

func (w *expirePushesWorker) Work(ctx context.Context, _ *river.Job[ExpirePushes]) error {
	if _, err := w.h.ExpirePushes(ctx); err != nil {
		return fmt.Errorf("expire held pushes: %w", err)
	}
	return nil
}

type rematchWorker struct {
	river.WorkerDefaults[Rematch]
	h Handlers
}

func (w *rematchWorker) Work(ctx context.Context, job *river.Job[Rematch]) error {
	if err := w.h.Rematch(ctx, job.Args); err != nil {
		return fmt.Errorf("rematch %d packages: %w", len(job.Args.Packages), err)
	}
	return nil
}

// ensure the kinds satisfy River's interfaces.
var (
	_ river.JobArgsWithInsertOpts = ScanRepo{}
	_ river.JobArgsWithInsertOpts = Rescan{}
	_ river.JobArgsWithInsertOpts = SyncSource{}
	_ river.JobArgsWithInsertOpts = Derive{}
	_ river.JobArgsWithInsertOpts = ExpirePushes{}
	_ river.JobArgsWithInsertOpts = Rematch{}
	_ river.JobArgsWithInsertOpts = Govern{}
	_ river.JobArgsWithInsertOpts = EvaluateRequest{}
)
