package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store"
)

// StartScan implements store.Store. run.ID is ignored; every other field is
// recorded as given.
func (s *Store) StartScan(ctx context.Context, run catalog.ScanRun) (int64, error) {
	var id int64
	err := s.write(ctx, "start scan", func(t tx) error {
		return t.queryRow(ctx, `INSERT INTO scan_runs (started_at, finished_at, roots, found, scanned,
				unchanged, failed, problems)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			encTime(run.StartedAt), encTime(run.FinishedAt), encStrings(run.Roots), run.Found,
			run.Scanned, run.Unchanged, run.Failed, run.Problems).Scan(&id)
	})
	if err != nil {
		return 0, err
	}
	return id, nil
}

// FinishScan implements store.Store: every field of the run with run.ID is
// overwritten with run's. Returns ErrNotFound if there is no such run.
func (s *Store) FinishScan(ctx context.Context, run catalog.ScanRun) error {
	return s.write(ctx, fmt.Sprintf("finish scan %d", run.ID), func(t tx) error {
		res, err := t.exec(ctx, `UPDATE scan_runs SET started_at = ?, finished_at = ?, roots = ?,
				found = ?, scanned = ?, unchanged = ?, failed = ?, problems = ?
			WHERE id = ?`,
			encTime(run.StartedAt), encTime(run.FinishedAt), encStrings(run.Roots), run.Found,
			run.Scanned, run.Unchanged, run.Failed, run.Problems, run.ID)
		if err != nil {
			return err
		}
		return mustAffect(res, store.ErrNotFound)
	})
}

// LastScan implements store.Store: the run started last (the highest ID),
// finished or not.
func (s *Store) LastScan(ctx context.Context) (*catalog.ScanRun, error) {
	var run catalog.ScanRun
	err := s.read(ctx, "last scan", func(t tx) error {
		var started, finished sql.NullInt64
		var roots string
		err := t.queryRow(ctx, `SELECT id, started_at, finished_at, roots, found, scanned, unchanged,
				failed, problems
			FROM scan_runs ORDER BY id DESC LIMIT 1`).
			Scan(&run.ID, &started, &finished, &roots, &run.Found, &run.Scanned, &run.Unchanged,
				&run.Failed, &run.Problems)
		if errors.Is(err, sql.ErrNoRows) {
			return store.ErrNotFound
		}
		if err != nil {
			return err
		}
		run.StartedAt, run.FinishedAt = decTime(started), decTime(finished)
		run.Roots, err = decStrings(roots)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &run, nil
}
