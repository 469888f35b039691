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
	p := Progress{Total: len(ids)}
	rows, err := q.pool.Query(ctx, `SELECT state, count(*) FROM river_job WHERE id = ANY($1) GROUP BY state`, ids)
	if err != nil {
		return p, fmt.Errorf("job status: %w", err)
	}
	defer rows.Close()
	found := 0
	for rows.Next() {
		var state string
		var n int
		if err := rows.Scan(&state, &n); err != nil {
			return p, fmt.Errorf("job status: %w", err)
		}
		found += n
		switch rivertype.JobState(state) {
		case rivertype.JobStateCompleted:
			p.Done += n
		case rivertype.JobStateDiscarded:
			p.Failed += n
		case rivertype.JobStateCancelled:
			p.Cancelled += n
		case rivertype.JobStateRetryable:
			p.Retrying += n
		}
	}
	if err := rows.Err(); err != nil {
		return p, fmt.Errorf("job status: %w", err)
	}
	// A finished job deleted by River's cleaner (after a day) counts as done.
	p.Done += len(ids) - found
	return p, nil
}

// waitErrors is how many reads of the jobs' status in a row may fail
// before Wait gives up: a PostgreSQL restart fails the pool's old
// connections once each, and the queue goes on after it.
const waitErrors = 10

// Wait polls the jobs ids every interval until all have finished or ctx is
// done, calling progress (if set) whenever the counts change. A failed read
// is tried again at the next interval, up to waitErrors in a row.
func (q *Queue) Wait(ctx context.Context, ids []int64, interval time.Duration, progress func(Progress)) (Progress, error) {
	var last Progress
	t := time.NewTicker(interval)
	defer t.Stop()
	failed := 0
	for first := true; ; first = false {
		p, err := q.Status(ctx, ids)
		if err != nil {
			if failed++; failed >= waitErrors || ctx.Err() != nil {
				return last, err
			}
			select {
			case <-ctx.Done():
				return last, ctx.Err()
			case <-t.C:
			}
			continue
		}
		failed = 0
		if progress != nil && (first || p != last) {
			progress(p)
		}
		last = p
		if p.Finished() {
			return p, nil
		}
		select {
		case <-ctx.Done():
			return p, ctx.Err()
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
