package estate

import (
	"context"
	"fmt"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/events"
)

// ProjectPage is what a project's page reads from the store: the project
// with its facts, its vulnerabilities, its score with its history, what
// forges, issue trackers and CI say about it.
type ProjectPage struct {
	Project *catalog.Project
	Vulns   *ProjectVulnerabilities
	Score   *ProjectScore
	Forge   *Forge
	Tracker []catalog.TrackerIssue
	Builds  *BuildHealth
}

// ProjectPage reads the project with the numeric ID id and what its page
// shows with it (see Project, VulnerabilitiesOf, ScoreOf, Forge, Tracker,
// Builds). Returns store.ErrNotFound for anything that is not the ID of a
// project.
func (c *Catalog) ProjectPage(ctx context.Context, id string) (*ProjectPage, error) {
	p, err := c.Project(ctx, id)
	if err != nil {
		return nil, err
	}
	pg := &ProjectPage{Project: p}
	if pg.Vulns, err = c.VulnerabilitiesOf(ctx, p); err != nil {
		return nil, err
	}
	if pg.Score, err = c.ScoreOf(ctx, p.ID); err != nil {
		return nil, err
	}
	if pg.Forge, err = c.Forge(ctx, p.Key); err != nil {
		return nil, err
	}
	if pg.Tracker, err = c.Tracker(ctx, p.Key); err != nil {
		return nil, err
	}
	if pg.Builds, err = c.Builds(ctx, p.Key); err != nil {
		return nil, err
	}
	return pg, nil
}

// PersonPage is what a person's page reads from the store: the person's
// view, their standing (points, badges) and their open work.
type PersonPage struct {
	Person   *Person
	Standing events.Standing
	Work     *Work
}

// PersonPage reads the person ref names (see Person) and what their page
// shows with them (see StandingOf, WorkOf). Returns store.ErrNotFound or a
// wrapped store.ErrAmbiguous.
func (c *Catalog) PersonPage(ctx context.Context, ref string) (*PersonPage, error) {
	v, err := c.Person(ctx, ref)
	if err != nil {
		return nil, err
	}
	pg := &PersonPage{Person: v}
	if pg.Standing, err = c.StandingOf(ctx, &v.Person); err != nil {
		return nil, err
	}
	if pg.Work, err = c.WorkOf(ctx, &v.Person); err != nil {
		return nil, err
	}
	return pg, nil
}

// WarmPages reads what the heaviest pages read from the store, a
// project's (ProjectPage) and a person's (PersonPage), for the project and
// the person in the middle of the estate snapshot's lists (by name, and by
// commits: a typical one, not the busiest), warmPageRuns times.
// The hub runs it on each of its store connections before it takes traffic
// (see sqldb.Store.WarmConnections): on PostgreSQL each connection prepares
// a statement the first time it runs it and plans it anew for each of its
// first five runs (custom plans, 0.2-1.3 ms each for the joins of these
// pages, the first the dearest) before it settles on a generic plan (0.01
// ms), and these pages run twenty-odd statements, so that the first
// requests on each connection, eight at once, waited for 100 ms and more.
// It reads only.
func (c *Catalog) WarmPages(ctx context.Context) error {
	e, err := c.Snapshot(ctx)
	if err != nil {
		return fmt.Errorf("estate snapshot: %w", err)
	}
	for range warmPageRuns {
		if len(e.all) > 0 {
			if _, err := c.ProjectPage(ctx, fmt.Sprint(e.all[len(e.all)/2].ID)); err != nil {
				return fmt.Errorf("warm a project's page: %w", err)
			}
		}
		if len(e.people) > 0 {
			if _, err := c.PersonPage(ctx, e.people[len(e.people)/2].ID); err != nil {
				return fmt.Errorf("warm a person's page: %w", err)
			}
		}
	}
	return nil
}

// warmPageRuns is how many times WarmPages reads each page: PostgreSQL
// plans a prepared statement for each of its first five runs, then
// chooses between those plans and a generic one on the sixth (see
// plan_cache_mode).
const warmPageRuns = 6
