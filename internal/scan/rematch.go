package scan

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/ospo-project/ospo/internal/analyze"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/scorecard"
)

// RematchStore is what Rematch reads and writes: the catalogue store
// provides it.
type RematchStore interface {
	// Usages returns every dependency of the catalogue on one of pkgs.
	Usages(ctx context.Context, pkgs []catalog.PackageRef) ([]catalog.Usage, error)
	// Project returns one project with its facts; ref is its ID in decimal.
	Project(ctx context.Context, ref string) (*catalog.Project, error)
	// ScoreHistory returns the project's scorecards, newest first.
	ScoreHistory(ctx context.Context, projectID int64, limit int) ([]catalog.Scorecard, error)
	// AddScore records a scorecard of the project sc.ProjectID.
	AddScore(ctx context.Context, sc catalog.Scorecard) error
}

// RematchSummary says what Rematch did.
type RematchSummary struct {
	// Projects is how many projects depend on one of the packages.
	Projects int `json:"projects"`
	// Rescored is how many of them got a new scorecard because their
	// vulnerability findings changed it.
	Rescored int `json:"rescored"`
}

// Rematch matches the stored dependencies of every project that uses one of
// pkgs (the packages of advisories just imported, changed or withdrawn)
// against the advisories an now sees, without reading any repository, and
// records a new scorecard for each project whose Security check (where
// vulnerabilities count) comes out different from its latest one (it
// replaces the scorecard of the same HEAD, as AddScore does).
// Findings themselves are computed when asked for, so they need no
// rematch; the stored scorecards do. It is idempotent: run again, it finds
// the latest scorecards current and writes nothing.
func Rematch(ctx context.Context, st RematchStore, an *analyze.Analyzer, pkgs []catalog.PackageRef) (RematchSummary, error) {
	var sum RematchSummary
	if len(pkgs) == 0 {
		return sum, nil
	}
	uses, err := st.Usages(ctx, pkgs)
	if err != nil {
		return sum, fmt.Errorf("rematch: projects using the packages: %w", err)
	}
	var ids []int64
	for _, u := range uses {
		ids = append(ids, u.ProjectID)
	}
	return RematchProjects(ctx, st, an, ids)
}

// RematchProjects is Rematch for the projects with ids (duplicates
// allowed), whatever they use: after the first import of all, when every
// project's vulnerability probe goes from "not available" to a rating.
func RematchProjects(ctx context.Context, st RematchStore, an *analyze.Analyzer, ids []int64) (RematchSummary, error) {
	var sum RematchSummary
	ids = slices.Clone(ids)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	sum.Projects = len(ids)
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		p, err := st.Project(ctx, strconv.FormatInt(id, 10))
		if err != nil {
			return sum, fmt.Errorf("rematch: project %d: %w", id, err)
		}
		res, err := an.Stored(ctx, p, analyze.Scorecard, "")
		if err != nil {
			return sum, fmt.Errorf("rematch: %s: %w", p.Name, err)
		}
		card := *res.Scorecard
		card.ProjectID = id
		last, err := st.ScoreHistory(ctx, id, 1)
		if err != nil {
			return sum, fmt.Errorf("rematch: scorecards of %s: %w", p.Name, err)
		}
		if len(last) > 0 && sameCheck(last[0], card, scorecard.CheckSecurity) {
			continue
		}
		if err := st.AddScore(ctx, card); err != nil {
			return sum, fmt.Errorf("rematch: score %s: %w", p.Name, err)
		}
		sum.Rescored++
	}
	return sum, nil
}

// sameCheck reports whether a and b rate the check named name alike.
func sameCheck(a, b catalog.Scorecard, name string) bool {
	find := func(c catalog.Scorecard) (catalog.CheckScore, bool) {
		for _, ch := range c.Checks {
			if ch.Name == name {
				return ch, true
			}
		}
		return catalog.CheckScore{}, false
	}
	x, okx := find(a)
	y, oky := find(b)
	return okx == oky && x.Score == y.Score && x.Reason == y.Reason && slices.Equal(x.Details, y.Details)
}
