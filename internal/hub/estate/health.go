package estate

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/extract/gitlog"
	"github.com/ospo-project/ospo/internal/health"
	"github.com/ospo-project/ospo/internal/store"
)

// DefaultHealthWeeks is the window of the health pages and API without
// ?weeks=.
const DefaultHealthWeeks = 52

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
// forge items when a forge source knows it. A project of the estate
// snapshot named by its ID is answered from the health index (its tags and
// forge items read once per snapshot); others are read from the store.
// Returns store.ErrNotFound.
func (c *Catalog) ProjectHealth(ctx context.Context, ref string, weeks int) (*HealthView, error) {
	x, err := c.healthIndex(ctx)
	if err != nil {
		return nil, err
	}
	id, err := strconv.ParseInt(ref, 10, 64)
	if i, ok := x.at[id]; err == nil && ok {
		key := c.healthKey("project", ref, weeks)
		if v := x.report(key); v != nil {
			return v, nil
		}
		in, err := x.projectInput(ctx, c, id)
		if err != nil {
			return nil, err
		}
		p := &x.snap.all[i]
		v := &HealthView{Scope: "project", Name: p.Name, ID: p.ID, Projects: 1, Report: x.projects[id].Compute(in, c.healthOptions(weeks))}
		x.keep(key, v)
		return v, nil
	}
	p, err := c.st.Project(ctx, ref)
	if err != nil {
		return nil, err
	}
	in := health.Input{Contributions: p.Contributors}
	if ts, err := gitlog.Tags(ctx, p.Path); err == nil {
		in.Releases, in.ReleasesKnown = ts, true
	}
	if in.Forge, err = c.forgeItems(ctx, p.Key); err != nil {
		return nil, err
	}
	return &HealthView{Scope: "project", Name: p.Name, ID: p.ID, Projects: 1, Report: health.Compute(in, c.healthOptions(weeks))}, nil
}

// forgeItems returns the forge items of the project key, or nil when no
// forge source knows it.
func (c *Catalog) forgeItems(ctx context.Context, key string) ([]catalog.ForgeItem, error) {
	repos, err := c.st.ProjectForgeRepos(ctx, key)
	if err != nil {
		return nil, fmt.Errorf("read forge repositories: %w", err)
	}
	if len(repos) == 0 {
		return nil, nil
	}
	items, err := c.st.ForgeItems(ctx, key, "", 0)
	if err != nil {
		return nil, fmt.Errorf("read forge items: %w", err)
	}
	return append([]catalog.ForgeItem{}, items...), nil
}

// TeamHealth returns the health of the projects owner owns (as Team
// matches them) over weeks weeks, from the health index: the owned
// projects' prepared contributors merged, and for a team of at most
// maxTagReads projects their tags (read once per snapshot). Returns
// store.ErrNotFound for an owner of no project.
func (c *Catalog) TeamHealth(ctx context.Context, owner string, weeks int) (*HealthView, error) {
	x, err := c.healthIndex(ctx)
	if err != nil {
		return nil, err
	}
	key := c.healthKey("team", owner, weeks)
	if v := x.report(key); v != nil {
		return v, nil
	}
	t, err := x.team(ctx, c, owner)
	if err != nil {
		return nil, err
	}
	in := health.Input{Releases: t.releases, ReleasesKnown: t.releasesKnown}
	v := &HealthView{Scope: "team", Name: owner, Projects: len(t.ids), Report: t.prepared.Compute(in, c.healthOptions(weeks))}
	x.keep(key, v)
	return v, nil
}

// EstateHealth returns the health of every project over weeks weeks
// (release frequency is not available: it would read every checkout),
// from the health index's estate-wide contributors. Reports are kept with
// the index until the catalogue changes or the week turns.
func (c *Catalog) EstateHealth(ctx context.Context, weeks int) (*HealthView, error) {
	x, err := c.healthIndex(ctx)
	if err != nil {
		return nil, err
	}
	key := c.healthKey("estate", "", weeks)
	if v := x.report(key); v != nil {
		return v, nil
	}
	v := &HealthView{Scope: "estate", Projects: len(x.snap.all), Report: x.estate.Compute(health.Input{}, c.healthOptions(weeks))}
	x.keep(key, v)
	return v, nil
}

// healthKey names a report of the health index: its scope, name, window
// and the week it ends with.
func (c *Catalog) healthKey(scope, name string, weeks int) string {
	return scope + "\x00" + name + "\x00" + strconv.Itoa(weeks) + "\x00" + catalog.WeekOf(c.now()).Format("2006-01-02")
}

// maxHealthReports bounds the reports a health index keeps (and the teams
// and projects whose inputs it keeps); when full it starts again.
const maxHealthReports = 512

// maxHealthInputs bounds the projects whose releases and forge items a
// health index keeps.
const maxHealthInputs = 64

// healthIndex is what the health pages are computed from, for one estate
// snapshot: every project's contributors prepared (health.Prepare of its
// contributions with their weekly activity), the estate's merged, and,
// read on demand and kept with it, teams' merged contributors and
// releases, projects' releases and forge items, and the reports made.
type healthIndex struct {
	snap     *Snapshot
	at       map[int64]int              // index in snap.all by project ID
	projects map[int64]*health.Prepared // by project ID; nil for a project without contributions
	estate   *health.Prepared           // every project's, merged in ID order

	mu      sync.Mutex
	reports map[string]*HealthView
	teams   map[string]*teamHealth // by lower-cased owner
	inputs  map[int64]health.Input // projects' releases and forge items
}

// teamHealth is a team's share of a health index.
type teamHealth struct {
	ids           []int64 // the projects it owns, ascending
	prepared      *health.Prepared
	releases      []time.Time
	releasesKnown bool
}

func (x *healthIndex) report(key string) *HealthView {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.reports[key]
}

func (x *healthIndex) keep(key string, v *HealthView) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if len(x.reports) >= maxHealthReports {
		x.reports = map[string]*HealthView{}
	}
	x.reports[key] = v
}

// projectInput returns the releases (tags) and forge items of the
// project id of x, read once.
func (x *healthIndex) projectInput(ctx context.Context, c *Catalog, id int64) (health.Input, error) {
	x.mu.Lock()
	in, ok := x.inputs[id]
	x.mu.Unlock()
	if ok {
		return in, nil
	}
	if ts, err := gitlog.Tags(ctx, x.snap.checkouts[id].path); err == nil {
		in.Releases, in.ReleasesKnown = ts, true
	}
	var err error
	if in.Forge, err = c.forgeItems(ctx, x.snap.stamps[id].key); err != nil {
		return health.Input{}, err
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if len(x.inputs) >= maxHealthInputs {
		x.inputs = map[int64]health.Input{}
	}
	x.inputs[id] = in
	return in, nil
}

// team returns the share of x of the team owner (health.OwnedBy), made
// once. Returns store.ErrNotFound for an owner of no project.
func (x *healthIndex) team(ctx context.Context, c *Catalog, owner string) (*teamHealth, error) {
	key := strings.ToLower(owner)
	x.mu.Lock()
	t, ok := x.teams[key]
	x.mu.Unlock()
	if ok {
		return t, nil
	}
	t = &teamHealth{}
	var paths []string
	for i := range x.snap.all {
		if p := &x.snap.all[i]; health.OwnedBy(*p, owner) {
			t.ids = append(t.ids, p.ID)
		}
	}
	if len(t.ids) == 0 {
		return nil, fmt.Errorf("team %q: %w", owner, store.ErrNotFound)
	}
	slices.Sort(t.ids) // a person's organisation is that of their first address read
	ps := make([]*health.Prepared, len(t.ids))
	for i, id := range t.ids {
		ps[i] = x.projects[id]
		paths = append(paths, x.snap.checkouts[id].path)
	}
	t.prepared = health.Merge(ps...)
	if len(paths) <= maxTagReads {
		t.releasesKnown = true
		for _, path := range paths {
			ts, err := gitlog.Tags(ctx, path)
			if err != nil {
				t.releasesKnown, t.releases = false, nil
				break
			}
			t.releases = append(t.releases, ts...)
		}
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if len(x.teams) >= maxHealthReports {
		x.teams = map[string]*teamHealth{}
	}
	x.teams[key] = t
	return t, nil
}

// healthIndex returns the health index of the estate snapshot. When the
// snapshot moved on since the index was made, the index is brought up to
// date in the background (only the projects replaced since are read
// again) and the previous one answers meanwhile; with a TTL of 0, or for
// the first index, it is made now. Warm makes it too.
func (c *Catalog) healthIndex(ctx context.Context) (*healthIndex, error) {
	e, err := c.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	c.healthMu.Lock()
	x := c.health
	if x != nil && x.snap == e {
		c.healthMu.Unlock()
		return x, nil
	}
	if x != nil && c.ttl > 0 {
		if !c.healthBuilding {
			c.healthBuilding = true
			go func() {
				_, _ = c.indexHealth(context.WithoutCancel(ctx), e)
				c.healthMu.Lock()
				c.healthBuilding = false
				c.healthMu.Unlock()
			}()
		}
		c.healthMu.Unlock()
		return x, nil
	}
	c.healthMu.Unlock()
	return c.indexHealth(ctx, e)
}

// indexHealth makes the health index of e from the current one (the
// projects whose revision did not change keep their prepared
// contributors; all are read again when people's identities moved) and
// makes it current unless a newer one is.
func (c *Catalog) indexHealth(ctx context.Context, e *Snapshot) (*healthIndex, error) {
	c.healthMu.Lock()
	old := c.health
	c.healthMu.Unlock()
	if old != nil && old.snap == e {
		return old, nil
	}
	x := &healthIndex{snap: e, at: make(map[int64]int, len(e.all)), projects: make(map[int64]*health.Prepared, len(e.all)),
		reports: map[string]*HealthView{}, teams: map[string]*teamHealth{}, inputs: map[int64]health.Input{}}
	for i := range e.all {
		x.at[e.all[i].ID] = i
	}
	var changed []int64
	if old != nil && maps.Equal(old.snap.personOf, e.personOf) {
		for id, st := range e.stamps {
			if was, ok := old.snap.stamps[id]; ok && was.revision == st.revision && was.key == st.key {
				x.projects[id] = old.projects[id]
			} else {
				changed = append(changed, id)
			}
		}
		if float64(len(changed)) > fullRebuildShare*float64(len(e.stamps)) {
			old = nil
		}
	} else {
		old = nil
	}
	var ids []int64 // all when nil
	if old != nil {
		if ids = changed; ids == nil {
			ids = []int64{}
		}
	}
	act, err := c.st.Activity(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("read activity: %w", err)
	}
	if ids == nil {
		clear(x.projects)
	}
	for id, cs := range act {
		if _, ok := e.stamps[id]; ok {
			x.projects[id] = health.Prepare(cs)
		}
	}
	if old != nil && len(changed) == 0 && len(e.stamps) == len(old.snap.stamps) {
		x.estate = old.estate
	} else {
		all := slices.Sorted(maps.Keys(x.projects)) // a person's organisation is that of their first address read
		ps := make([]*health.Prepared, len(all))
		for i, id := range all {
			ps[i] = x.projects[id]
		}
		x.estate = health.Merge(ps...)
	}
	c.healthMu.Lock()
	defer c.healthMu.Unlock()
	if c.health == nil || c.health.snap.generation <= e.generation {
		c.health = x
	}
	return x, nil
}
