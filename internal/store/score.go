package store

import (
	"context"

	"github.com/ospo-project/ospo/internal/catalog"
)

// ScoreStore persists project scorecards, one per project and HEAD commit,
// so that trends can be drawn. It is part of Store. Scores are computed by
// internal/scorecard; the store keeps them as given.
type ScoreStore interface {
	// AddScore records sc for the project sc.ProjectID. A scorecard for the
	// same project and commit (sc.Commit) replaces the one recorded, so
	// scoring one HEAD twice (two scans at once, a rescan) keeps one.
	// Returns ErrNotFound if there is no such project. Deleting the project
	// deletes its scores.
	AddScore(ctx context.Context, sc catalog.Scorecard) error

	// LatestScores returns the most recent scorecard of every project that
	// has one, with Project and Key filled in, ordered by project name then key.
	LatestScores(ctx context.Context) ([]catalog.Scorecard, error)

	// ScoreHistory returns the project's scorecards, newest first, at most
	// limit (0 = all). An unknown project has no history (an empty result).
	ScoreHistory(ctx context.Context, projectID int64, limit int) ([]catalog.Scorecard, error)

	// RecentScores returns the latest perProject scorecards of each of the
	// given projects, newest first, by project ID, in one read whatever
	// the number of projects; projects never scored (or unknown) are absent.
	RecentScores(ctx context.Context, projectIDs []int64, perProject int) (map[int64][]catalog.Scorecard, error)
}
