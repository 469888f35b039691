package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// KindStats counts one kind's jobs.
type KindStats struct {
	Kind string `json:"kind"`
	// Queued are jobs waiting (available, scheduled, retryable, pending).
	Queued int `json:"queued"`
	// Running are jobs a worker holds.
	Running int `json:"running"`
	// Retrying are queued jobs that failed at least one attempt.
	Retrying int `json:"retrying"`
	// Completed, Parked and Cancelled are jobs finished in the last hour:
	// parked jobs failed every attempt (River's "discarded").
	Completed int `json:"completed_last_hour"`
	Parked    int `json:"parked_last_hour"`
	Cancelled int `json:"cancelled_last_hour"`
	// ParkedTotal counts every parked job River still keeps (a week).
	ParkedTotal int `json:"parked_total"`
	// OldestQueued is how long the oldest queued job has waited.
	OldestQueued time.Duration `json:"oldest_queued_ns"`
}

// Stats counts the queue's jobs per kind, ordered by kind: its depth, its
// throughput over the last hour and its failures.
func (q *Queue) Stats(ctx context.Context) ([]KindStats, error) {
	rows, err := q.pool.Query(ctx, `
SELECT kind,
  count(*) FILTER (WHERE state IN ('available', 'scheduled', 'retryable', 'pending')),
  count(*) FILTER (WHERE state = 'running'),
  count(*) FILTER (WHERE state = 'retryable' OR (state = 'available' AND attempt > 0)),
  count(*) FILTER (WHERE state = 'completed' AND finalized_at > now() - interval '1 hour'),
  count(*) FILTER (WHERE state = 'discarded' AND finalized_at > now() - interval '1 hour'),
  count(*) FILTER (WHERE state = 'cancelled' AND finalized_at > now() - interval '1 hour'),
  count(*) FILTER (WHERE state = 'discarded'),
  coalesce(extract(epoch FROM now() - min(created_at) FILTER (WHERE state IN ('available', 'retryable'))), 0)
FROM river_job GROUP BY kind ORDER BY kind`)
	if err != nil {
		return nil, fmt.Errorf("job stats: %w", err)
	}
	defer rows.Close()
	var out []KindStats
	for rows.Next() {
		var s KindStats
		var oldest float64
		if err := rows.Scan(&s.Kind, &s.Queued, &s.Running, &s.Retrying, &s.Completed, &s.Parked, &s.Cancelled, &s.ParkedTotal, &oldest); err != nil {
			return nil, fmt.Errorf("job stats: %w", err)
		}
		s.OldestQueued = time.Duration(oldest * float64(time.Second))
		out = append(out, s)
	}
	return out, rows.Err()
}

// JobInfo is one job as the dead-letter view shows it.
type JobInfo struct {
	ID          int64           `json:"id"`
	Kind        string          `json:"kind"`
	State       string          `json:"state"`
	Args        json.RawMessage `json:"args"`
	Attempt     int             `json:"attempt"`
	MaxAttempts int             `json:"max_attempts"`
	CreatedAt   time.Time       `json:"created_at"`
	FinalizedAt *time.Time      `json:"finalized_at,omitempty"`
	// Errors are the errors of each failed attempt, oldest first.
	Errors []string `json:"errors"`
}

// Parked returns up to limit jobs that failed every attempt (River's
// "discarded"), most recent first, with each attempt's error. A parked job
// stays a week; Retry queues it again.
func (q *Queue) Parked(ctx context.Context, limit int) ([]JobInfo, error) {
	return q.list(ctx, `state = 'discarded'`, limit)
}

// Active returns up to limit queued or running jobs, oldest first.
func (q *Queue) Active(ctx context.Context, limit int) ([]JobInfo, error) {
	return q.list(ctx, `state IN ('available', 'scheduled', 'retryable', 'pending', 'running')`, limit)
}

func (q *Queue) list(ctx context.Context, where string, limit int) ([]JobInfo, error) {
	order := "finalized_at DESC, id DESC"
	if where != `state = 'discarded'` {
		order = "id"
	}
	rows, err := q.pool.Query(ctx, `SELECT id, kind, state, args, attempt, max_attempts, created_at, finalized_at,
  coalesce((SELECT array_agg(e->>'error') FROM unnest(errors) AS e), '{}')
FROM river_job WHERE `+where+` ORDER BY `+order+` LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("list jobs: %w", err)
	}
	defer rows.Close()
	var out []JobInfo
	for rows.Next() {
		var j JobInfo
		if err := rows.Scan(&j.ID, &j.Kind, &j.State, &j.Args, &j.Attempt, &j.MaxAttempts, &j.CreatedAt, &j.FinalizedAt, &j.Errors); err != nil {
			return nil, fmt.Errorf("list jobs: %w", err)
		}
		out = append(out, j)
	}
	return out, rows.Err()
}

// LastError is the error of the job's latest failed attempt; empty if none.
func (j JobInfo) LastError() string {
	if len(j.Errors) == 0 {
		return ""
	}
	return j.Errors[len(j.Errors)-1]
}
