package estate

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/extract/gitlog"
	"github.com/ospo-project/ospo/internal/health"
	"github.com/ospo-project/ospo/internal/store"
)

// maxTagReads bounds the checkouts whose tags a team's health reads; a
// bigger team's release frequency is not available on the hub.
const maxTagReads = 50

// HealthView is the community health of a project, a team or the estate.
type HealthView struct {
	// Scope is project, team or estate; Name and ID name the project
	// (ID) or the team (Name).
	Scope    string `json:"scope"`
	Name     string `json:"name,omitempty"`
	ID       int64  `json:"id,omitempty"`
	Projects int    `json:"projects"`
	health.Report
}

// SetAffiliations sets the affiliation map of the elephant factor
// (health.affiliations of ospo.yaml). Call it before serving.
func (c *Catalog) SetAffiliations(m map[string]string) { c.affiliations = health.Affiliations(m) }

// healthOptions are the options of a window of weeks ending now.
func (c *Catalog) healthOptions(weeks int) health.Options {
	return health.Options{Weeks: weeks, Now: c.now(), Affiliations: c.affiliations}
}

// ProjectHealth returns the health of the project ref (ID, key, path or
// name) over weeks weeks: its contributions, its tags as releases, and its
// forge items when a forge source knows it. Returns store.ErrNotFound.
func (c *Catalog) ProjectHealth(ctx context.Context, ref string, weeks int) (*HealthView, error) {
	p, err := c.st.Project(ctx, ref)
	if err != nil {
		return nil, err
	}
	in := health.Input{Contributions: p.Contributors}
	if ts, err := gitlog.Tags(ctx, p.Path); err == nil {
		in.Releases, in.ReleasesKnown = ts, true
	}
	repos, err := c.st.ProjectForgeRepos(ctx, p.Key)
	if err != nil {
		return nil, fmt.Errorf("read forge repositories: %w", err)
	}
	if len(repos) > 0 {
		items, err := c.st.ForgeItems(ctx, p.Key, "", 0)
		if err != nil {
			return nil, fmt.Errorf("read forge items: %w", err)
		}
		in.Forge = append([]catalog.ForgeItem{}, items...)
	}
	return &HealthView{Scope: "project", Name: p.Name, ID: p.ID, Projects: 1, Report: health.Compute(in, c.healthOptions(weeks))}, nil
}

// TeamHealth returns the health of the projects owner owns (as Team
// matches them) over weeks weeks. Returns store.ErrNotFound for an owner
// of no project.
func (c *Catalog) TeamHealth(ctx context.Context, owner string, weeks int) (*HealthView, error) {
	e, err := c.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	var ids []int64
	var paths []string
	for _, p := range e.all {
		if health.OwnedBy(p, owner) {
			ids = append(ids, p.ID)
			paths = append(paths, p.Path)
		}
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("team %q: %w", owner, store.ErrNotFound)
	}
	in, err := c.activity(ctx, ids)
	if err != nil {
		return nil, err
	}
	if len(paths) <= maxTagReads {
		in.ReleasesKnown = true
		for _, path := range paths {
			ts, err := gitlog.Tags(ctx, path)
			if err != nil {
				in.ReleasesKnown = false
				break
			}
			in.Releases = append(in.Releases, ts...)
		}
	}
	return &HealthView{Scope: "team", Name: owner, Projects: len(ids), Report: health.Compute(in, c.healthOptions(weeks))}, nil
}

// EstateHealth returns the health of every project over weeks weeks
// (release frequency is not available: it would read every checkout). The
// report is kept until the catalogue changes or the week turns.
func (c *Catalog) EstateHealth(ctx context.Context, weeks int) (*HealthView, error) {
	gen, err := c.st.Generation(ctx)
	if err != nil {
		return nil, err
	}
	key := strconv.FormatInt(gen, 10) + "/" + strconv.Itoa(weeks) + "/" + catalog.WeekOf(c.now()).Format("2006-01-02")
	c.healthMu.Lock()
	defer c.healthMu.Unlock()
	if v, ok := c.healthCache[key]; ok {
		return v, nil
	}
	in, err := c.activity(ctx, nil)
	if err != nil {
		return nil, err
	}
	projects := 0
	if e, err := c.Snapshot(ctx); err == nil {
		projects = len(e.all)
	}
	v := &HealthView{Scope: "estate", Projects: projects, Report: health.Compute(in, c.healthOptions(weeks))}
	c.healthCache = map[string]*HealthView{key: v} // one entry: the current one
	return v, nil
}

// activity reads the contributions of the projects ids (all when nil).
func (c *Catalog) activity(ctx context.Context, ids []int64) (health.Input, error) {
	act, err := c.st.Activity(ctx, ids)
	if err != nil {
		return health.Input{}, fmt.Errorf("read activity: %w", err)
	}
	keys := make([]int64, 0, len(act))
	for id := range act {
		keys = append(keys, id)
	}
	slices.Sort(keys) // a person's organisation is that of their first address read
	var in health.Input
	for _, id := range keys {
		in.Contributions = append(in.Contributions, act[id]...)
	}
	return in, nil
}
