package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"
)

// migrationLock is the advisory lock taken while River's tables are
// migrated, so that workers started together do not race ('ospj').
const migrationLock = 1869836394

// Queue is the job queue in one PostgreSQL database. It is safe for
// concurrent use; Close releases its connections.
type Queue struct {
	pool   *pgxpool.Pool
	client *river.Client[pgx.Tx]
	log    *slog.Logger
}

// Open connects to the PostgreSQL database at dsn (a postgres:// URL; a
// search_path parameter selects the schema River's tables live in) and
// brings River's tables up to date with rivermigrate. The Queue can insert,
// list and cancel jobs; Work processes them. log may be nil.
func Open(ctx context.Context, dsn string, log *slog.Logger) (*Queue, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("job queue: %w", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("job queue: %w", err)
	}
	q := &Queue{pool: pool, log: log}
	if err := q.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	if q.client, err = river.NewClient(riverpgxv5.New(pool), &river.Config{Logger: log}); err != nil {
		pool.Close()
		return nil, fmt.Errorf("job queue: %w", err)
	}
	return q, nil
}

// Close closes the queue's connections.
func (q *Queue) Close() { q.pool.Close() }

func (q *Queue) migrate(ctx context.Context) error {
	conn, err := q.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("job queue: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, migrationLock); err != nil {
		return fmt.Errorf("job queue: lock for migration: %w", err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrationLock)
	m, err := rivermigrate.New(riverpgxv5.New(q.pool), &rivermigrate.Config{Logger: q.log})
	if err != nil {
		return fmt.Errorf("job queue: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("job queue: migrate River's tables: %w", err)
	}
	return nil
}

// Current reports whether River's tables are at the version this binary
// expects (what /readyz checks); it returns the reason when they are not.
func Current(ctx context.Context, pool *pgxpool.Pool) (bool, string, error) {
	m, err := rivermigrate.New(riverpgxv5.New(pool), nil)
	if err != nil {
		return false, "", err
	}
	res, err := m.Validate(ctx, nil)
	if err != nil {
		return false, "", fmt.Errorf("job queue: %w", err)
	}
	if !res.OK {
		return false, fmt.Sprint(res.Messages), nil
	}
	return true, "", nil
}

// Pool is the queue's connection pool (for health checks).
func (q *Queue) Pool() *pgxpool.Pool { return q.pool }

// Enqueued is one inserted job.
type Enqueued struct {
	ID int64
	// Duplicate reports that an equal job was already queued or running
	// (ID is then that job's).
	Duplicate bool
}

// Enqueue inserts jobs in one transaction, each with its kind's options. A
// job equal to one already active (see each kind's InsertOpts) is not
// inserted again: its Enqueued names the existing job.
func (q *Queue) Enqueue(ctx context.Context, args ...river.JobArgs) ([]Enqueued, error) {
	out := make([]Enqueued, 0, len(args))
	const batch = 1000
	for start := 0; start < len(args); start += batch {
		end := min(start+batch, len(args))
		params := make([]river.InsertManyParams, 0, end-start)
		for _, a := range args[start:end] {
			params = append(params, river.InsertManyParams{Args: a})
		}
		res, err := q.client.InsertMany(ctx, params)
		if err != nil {
			return out, fmt.Errorf("enqueue: %w", err)
		}
		for _, r := range res {
			out = append(out, Enqueued{ID: r.Job.ID, Duplicate: r.UniqueSkippedAsDuplicate})
		}
	}
	return out, nil
}

// Progress counts the jobs of a Wait by how they stand.
type Progress struct {
	Total, Done, Failed, Cancelled int
	// Retrying are jobs that failed an attempt and will be tried again.
	Retrying int
}

// Finished reports whether every job has reached a final state.
func (p Progress) Finished() bool { return p.Done+p.Failed+p.Cancelled >= p.Total }

// Status counts the jobs ids by state.
func (q *Queue) Status(ctx context.Context, ids []int64) (Progress, error) {
	var w waiter
	w.start(ids)
	if err := w.poll(ctx, q); err != nil {
		return Progress{Total: len(ids)}, err
	}
	return w.progress(), nil
}

// waiter follows a set of jobs: those that reached a final state are
// counted and not read again, so that each read costs what is still to do
// (a scan of 50,000 repositories queues 50,000 jobs, and reading them all
// four times a second kept 40% of a database core busy during the scan).
type waiter struct {
	total                   int
	pending                 []int64 // not final at the last read
	done, failed, cancelled int
	retrying                int
}

func (w *waiter) start(ids []int64) {
	seen := make(map[int64]bool, len(ids))
	w.total = len(ids)
	for _, id := range ids {
		if !seen[id] { // a duplicate enqueue names the same job twice
			seen[id] = true
			w.pending = append(w.pending, id)
		}
	}
	// A job named twice is followed once; the other naming counts as done
	// (as when every id was counted by state: its row was counted once).
	w.done = len(ids) - len(w.pending)
}

func (w *waiter) progress() Progress {
	return Progress{Total: w.total, Done: w.done, Failed: w.failed, Cancelled: w.cancelled, Retrying: w.retrying}
}

// poll reads the jobs still pending.
func (w *waiter) poll(ctx context.Context, q *Queue) error {
	if len(w.pending) == 0 {
		return nil
	}
	rows, err := q.pool.Query(ctx, `SELECT id, state FROM river_job WHERE id = ANY($1)`, w.pending)
	if err != nil {
		return fmt.Errorf("job status: %w", err)
	}
	defer rows.Close()
	state := make(map[int64]rivertype.JobState, len(w.pending))
	for rows.Next() {
		var id int64
		var st string
		if err := rows.Scan(&id, &st); err != nil {
			return fmt.Errorf("job status: %w", err)
		}
		state[id] = rivertype.JobState(st)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("job status: %w", err)
	}
	still := w.pending[:0]
	w.retrying = 0
	for _, id := range w.pending {
		st, found := state[id]
		switch {
		case !found: // a finished job deleted by River's cleaner (after a day) counts as done
			w.done++
		case st == rivertype.JobStateCompleted:
			w.done++
		case st == rivertype.JobStateDiscarded:
			w.failed++
		case st == rivertype.JobStateCancelled:
			w.cancelled++
		default:
			if st == rivertype.JobStateRetryable {
				w.retrying++
			}
			still = append(still, id)
		}
	}
	w.pending = still
	return nil
}

// waitErrors is how many reads of the jobs' status in a row may fail
// before Wait gives up: a PostgreSQL restart fails the pool's old
// connections once each, and the queue goes on after it.
const waitErrors = 10

// pollCostPerJob paces Wait: it waits at least this long per job still
// pending between two reads (a read of 50,000 jobs by id costs the
// database about 50-100 ms), so that following a large scan takes a few
// percent of a core, not the scan's share.
const pollCostPerJob = 100 * time.Microsecond

// Wait polls the jobs ids every interval (longer while many are pending,
// see pollCostPerJob) until all have finished or ctx is done, calling
// progress (if set) whenever the counts change. A failed read is tried
// again at the next interval, up to waitErrors in a row. A job counts as
// finished once it was read in a final state (completed, discarded,
// cancelled); it is not read again.
func (q *Queue) Wait(ctx context.Context, ids []int64, interval time.Duration, progress func(Progress)) (Progress, error) {
	var w waiter
	w.start(ids)
	var last Progress
	failed := 0
	for first := true; ; first = false {
		if err := w.poll(ctx, q); err != nil {
			if failed++; failed >= waitErrors || ctx.Err() != nil {
				return last, err
			}
		} else {
			failed = 0
			p := w.progress()
			if progress != nil && (first || p != last) {
				progress(p)
			}
			last = p
			if p.Finished() {
				return p, nil
			}
		}
		pause := max(interval, time.Duration(len(w.pending))*pollCostPerJob)
		t := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			t.Stop()
			return last, ctx.Err()
		case <-t.C:
		}
	}
}

// Cancel cancels job id: a queued job will not run; a running one has its
// context cancelled (the worker stops it at the next check) and is not
// retried. Returns ErrNoJob if there is no such job.
func (q *Queue) Cancel(ctx context.Context, id int64) error {
	_, err := q.client.JobCancel(ctx, id)
	if errors.Is(err, river.ErrNotFound) {
		return fmt.Errorf("%w: %d", ErrNoJob, id)
	}
	return err
}

// Retry queues a parked (discarded) or cancelled job id again, now, with
// its attempts reset. Returns ErrNoJob if there is no such job.
func (q *Queue) Retry(ctx context.Context, id int64) error {
	_, err := q.client.JobRetry(ctx, id)
	if errors.Is(err, river.ErrNotFound) {
		return fmt.Errorf("%w: %d", ErrNoJob, id)
	}
	return err
}

// ErrNoJob is returned (wrapped) for a job id the queue does not hold.
var ErrNoJob = errors.New("no such job")

// WorkersAlive reports whether some worker is running against this queue:
// a River leader holds an unexpired lease (every worker takes part in the
// election, and a leader renews its lease every few seconds).
func (q *Queue) WorkersAlive(ctx context.Context) (bool, error) {
	var n int
	if err := q.pool.QueryRow(ctx, `SELECT count(*) FROM river_leader WHERE expires_at > now()`).Scan(&n); err != nil {
		return false, fmt.Errorf("job queue: %w", err)
	}
	return n > 0, nil
}
