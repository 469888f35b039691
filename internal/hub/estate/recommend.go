package estate

import (
	"context"
	"fmt"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/recommend"
	"github.com/ospo-project/ospo/internal/store"
	"github.com/ospo-project/ospo/internal/vuln"
)

// RecommendInputs reads from st what the recommenders need (projects with
// their contributors, direct dependencies, the 10 main authors of each,
// people, team memberships, opt-outs, and each project's vulnerability
// findings against the stored advisories with ignores applied at now) and
// returns it as an Estate with the given resource catalogue. The CLI and
// the hub read it alike.
func RecommendInputs(ctx context.Context, st store.Store, resources []recommend.Resource, ignores []vuln.Ignore, now time.Time) (recommend.Estate, error) {
	projects, err := st.ListProjects(ctx, store.ProjectFilter{})
	if err != nil {
		return recommend.Estate{}, fmt.Errorf("read projects: %w", err)
	}
	ids := make([]int64, len(projects))
	for i := range projects {
		ids[i] = projects[i].ID
	}
	c := recommend.Catalogue{Projects: projects, Resources: resources}
	if c.Dependencies, err = st.DirectDependencies(ctx, ids); err != nil {
		return recommend.Estate{}, fmt.Errorf("read dependencies: %w", err)
	}
	if c.Authors, err = st.ProjectAuthors(ctx, ids, maxAuthors); err != nil {
		return recommend.Estate{}, fmt.Errorf("read authors: %w", err)
	}
	if c.People, err = st.ListPeople(ctx, store.PersonFilter{}); err != nil {
		return recommend.Estate{}, fmt.Errorf("read people: %w", err)
	}
	if c.Memberships, err = st.Memberships(ctx, ""); err != nil {
		return recommend.Estate{}, fmt.Errorf("read memberships: %w", err)
	}
	if c.OptOuts, err = st.OptOuts(ctx); err != nil {
		return recommend.Estate{}, fmt.Errorf("read opt-outs: %w", err)
	}
	advs, err := st.AdvisoriesInUse(ctx)
	if err != nil {
		return recommend.Estate{}, fmt.Errorf("read advisories: %w", err)
	}
	if pkgs := vuln.Packages(advs); len(pkgs) > 0 {
		uses, err := st.Usages(ctx, pkgs)
		if err != nil {
			return recommend.Estate{}, fmt.Errorf("read usages: %w", err)
		}
		c.Findings = map[int64][]catalog.VulnFinding{}
		for _, x := range vuln.MatchUsages(advs, uses, ignores, now) {
			c.Findings[x.ProjectID] = x.Findings
		}
	}
	return recommend.FromCatalogue(c), nil
}

// SetResources sets the resource catalogue the hub's recommendations
// match (see recommend.ReadResources).
func (c *Catalog) SetResources(rs []recommend.Resource) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.resources = rs
}

// Recommender returns the recommendation model of the estate. It is
// built from the store when first asked for and rebuilt, in the
// background, once the estate snapshot has been rebuilt (the previous
// model answers meanwhile); like the snapshot it is at most a TTL old.
// Opt-outs are not taken from it: OptOuts reads them fresh.
func (c *Catalog) Recommender(ctx context.Context) (*recommend.Model, error) {
	snap, err := c.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	m, built, rebuilding := c.model, c.modelFor, c.modelBuilding
	if m != nil && built != snap && !rebuilding {
		c.modelBuilding = true
		go func() {
			nm, err := c.buildModel(context.WithoutCancel(ctx))
			c.mu.Lock()
			defer c.mu.Unlock()
			c.modelBuilding = false
			if err == nil {
				c.model, c.modelFor = nm, snap
			}
		}()
	}
	c.mu.Unlock()
	if m != nil {
		return m, nil
	}
	nm, err := c.buildModel(ctx)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.model == nil {
		c.model, c.modelFor = nm, snap
	}
	return c.model, nil
}

func (c *Catalog) buildModel(ctx context.Context) (*recommend.Model, error) {
	c.mu.Lock()
	rs := c.resources
	c.mu.Unlock()
	now := c.now()
	e, err := RecommendInputs(ctx, c.st, rs, c.ignores, now)
	if err != nil {
		return nil, err
	}
	return recommend.Build(e, now), nil
}

// OptOuts returns everybody's opt-outs by person ID, read from the store
// on each call so that a change is honoured at once.
func (c *Catalog) OptOuts(ctx context.Context) (map[string]catalog.OptOut, error) {
	os, err := c.st.OptOuts(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]catalog.OptOut, len(os))
	for _, o := range os {
		out[o.PersonID] = o
	}
	return out, nil
}

// Recommendations recommends to the person ref (see recommend.Model.For),
// with the opt-outs as they are now.
func (c *Catalog) Recommendations(ctx context.Context, ref string, o recommend.Options) (recommend.Recommendations, error) {
	m, err := c.Recommender(ctx)
	if err != nil {
		return recommend.Recommendations{}, err
	}
	if o.OptOuts, err = c.OptOuts(ctx); err != nil {
		return recommend.Recommendations{}, err
	}
	if o.Now.IsZero() {
		o.Now = c.now()
	}
	return m.For(ref, o)
}

// SimilarProjects returns the projects like project id by shared
// dependencies (see recommend.Model.Similar).
func (c *Catalog) SimilarProjects(ctx context.Context, id int64, limit int) ([]recommend.SimilarProject, error) {
	m, err := c.Recommender(ctx)
	if err != nil {
		return nil, err
	}
	return m.Similar(id, limit)
}
