package estate

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/expertise"
	"github.com/ospo-project/ospo/internal/query"
	"github.com/ospo-project/ospo/internal/recommend"
	"github.com/ospo-project/ospo/internal/store"
)

// Bounds on the work one detail view does.
const (
	maxUsers         = 5000 // projects using a package read for its page
	maxLanguageProjs = 200  // projects listed on a language's page
	maxExperts       = 25   // people listed on a technology page
	maxAuthors       = 10   // main authors of each project the snapshot holds
	maxEvidenceProjs = 50   // a person's projects whose direct dependencies count as evidence
	maxTeamProjects  = 200  // projects a team view lists (all count for members and scores)
	maxTeamMembers   = 50
	maxEvidenceShown = 40
	searchLimit      = 20
)

// VersionCount is how many projects use one version of a package.
type VersionCount struct {
	Version  string `json:"version"`
	Projects int    `json:"projects"`
}

// ProjectRef names a project and, on a package's page, the versions it uses.
type ProjectRef struct {
	ID       int64    `json:"id"`
	Name     string   `json:"name"`
	Key      string   `json:"key"`
	Versions []string `json:"versions,omitempty"`
	Direct   bool     `json:"direct,omitempty"`
}

// Technology is a package or a language with who uses it and who knows it.
type Technology struct {
	catalog.Technology
	// Projects using it (the first 200 by name for a language; the
	// experts come from all of them).
	Projects []ProjectRef `json:"projects_using"`
	// Versions in use, most used first (packages only): the drift.
	Versions []VersionCount `json:"versions_in_use,omitempty"`
	// Experts are the people who work on those projects, most commits first.
	Experts []catalog.Person `json:"experts"`
	// Authorship ranks the people who know the code of those projects by
	// authorship (docs/expertise.md), strongest first, each with at most
	// three projects of evidence.
	Authorship []catalog.Expert `json:"authorship"`
	// Advisories affecting the package (packages only), worst first, with
	// the versions in use each affects.
	Advisories []PackageAdvisory `json:"advisories,omitempty"`
	// Artifactory is what artifact repositories know of the package
	// (downloads, publications, builds using it); nil when nothing.
	Artifactory *Artifacts `json:"artifactory,omitempty"`
}

// IsPackage reports whether id names a package (a package URL) rather than a language.
func IsPackage(id string) bool { return strings.HasPrefix(id, "pkg:") }

// Technology returns the view of a package (id is its package URL without
// version) or a language (id is its name). Returns store.ErrNotFound if no
// project uses it. The view is shared: callers must not change it.
//
// Views are kept (up to maxTechViews of them) under what they were made
// from: the store's generation (every catalogue write advances it), the
// estate snapshot and the people who opted out of appearing as experts
// (read on every call, as they change without advancing the generation).
// A page read again with none of them changed is a lookup; a package used
// by 5,000 projects of 50,000 costs ~17 ms of CPU to make.
func (c *Catalog) Technology(ctx context.Context, id string) (*Technology, error) {
	id = strings.TrimSpace(id)
	if id == "" {
		return nil, store.ErrNotFound
	}
	gen, err := c.st.Generation(ctx)
	if err != nil {
		return nil, err
	}
	e, err := c.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	hidden, err := c.hiddenExperts(ctx)
	if err != nil {
		return nil, err
	}
	hid := slices.Sorted(maps.Keys(hidden))
	key := fmt.Sprintf("%d/%p/%s", gen, e, strings.Join(hid, "\x00"))
	c.techMu.Lock()
	if v, ok := c.techViews[id]; ok && v.key == key {
		c.techMu.Unlock()
		return v.t, nil
	}
	c.techMu.Unlock()
	t, err := c.technology(ctx, id, hidden)
	if err != nil {
		return nil, err
	}
	c.techMu.Lock()
	defer c.techMu.Unlock()
	if c.techViews == nil || len(c.techViews) >= maxTechViews {
		c.techViews = map[string]techView{}
	}
	c.techViews[id] = techView{key, t}
	return t, nil
}

// maxTechViews is how many technology views Technology keeps; past it, it
// starts again from none.
const maxTechViews = 256

// techView is a technology view kept by Technology, with what it was made from.
type techView struct {
	key string
	t   *Technology
}

// technology makes the view of Technology, leaving out the experts hidden.
func (c *Catalog) technology(ctx context.Context, id string, hidden map[string]bool) (*Technology, error) {
	t := &Technology{}
	var ids []int64
	if IsPackage(id) {
		id, _ = query.SplitPURL(id) // a versioned URL names the package
		us, err := c.packageProjects(ctx, id)
		if err != nil {
			return nil, err
		}
		if t.Artifactory, err = c.packageArtifacts(ctx, id); err != nil {
			return nil, err
		}
		t.Kind, t.ID = "package", id
		if len(us) == 0 {
			// A package no manifest names is still a technology when the
			// firm downloads, publishes or builds with it.
			switch a := t.Artifactory; {
			case a == nil:
				return nil, store.ErrNotFound
			case len(a.Files) > 0:
				t.Ecosystem, t.Name = a.Files[0].Ecosystem, a.Files[0].Package
			default:
				t.Ecosystem, t.Name = a.Builds[0].Ecosystem, a.Builds[0].Package
			}
			t.Projects, t.Experts, t.Authorship = []ProjectRef{}, []catalog.Person{}, []catalog.Expert{}
			return t, nil
		}
		if t.Ecosystem, t.Name, err = c.packageName(ctx, id); err != nil {
			return nil, err
		}
		versions := map[string]int{} // projects by version
		for _, u := range us {
			t.Projects = append(t.Projects, ProjectRef{ID: u.ProjectID, Name: u.Project, Key: u.ProjectKey, Versions: u.Versions, Direct: u.Direct})
			ids = append(ids, u.ProjectID)
			for _, v := range u.Versions {
				versions[v]++
			}
		}
		for v, n := range versions {
			t.Versions = append(t.Versions, VersionCount{v, n})
		}
		slices.SortFunc(t.Versions, func(a, b VersionCount) int {
			return cmp.Or(b.Projects-a.Projects, strings.Compare(a.Version, b.Version))
		})
		t.Technology.Projects, t.Technology.Versions = len(t.Projects), len(t.Versions)
		if t.Advisories, err = c.packageAdvisories(ctx, t, id); err != nil {
			return nil, err
		}
	} else {
		// The projects in the language, by name, from the estate snapshot.
		e, err := c.Snapshot(ctx)
		if err != nil {
			return nil, err
		}
		// Every project in the language counts for the experts; the first
		// maxLanguageProjs by name are listed.
		t.Kind, t.ID, t.Name = "language", id, id
		for _, p := range e.all {
			i := slices.IndexFunc(p.Languages, func(l catalog.Language) bool { return strings.EqualFold(l.Name, id) })
			if i < 0 {
				continue
			}
			ids = append(ids, p.ID)
			if len(t.Projects) < maxLanguageProjs {
				t.Name = p.Languages[i].Name
				t.Projects = append(t.Projects, ProjectRef{ID: p.ID, Name: p.Name, Key: p.Key})
			}
		}
		if len(ids) == 0 {
			return nil, store.ErrNotFound
		}
		t.Technology.Projects = len(ids)
	}
	// People who opted out of appearing as experts are left out of both
	// rankings (asked for as many more, then removed).
	experts, err := c.experts(ctx, ids, maxExperts+len(hidden))
	if err != nil {
		return nil, err
	}
	experts = slices.DeleteFunc(experts, func(p catalog.Person) bool { return hidden[p.ID] })
	t.Experts = nonNil(experts[:min(len(experts), maxExperts)])
	authors, err := c.authorship(ctx, ids, maxExperts+len(hidden))
	if err != nil {
		return nil, err
	}
	authors = slices.DeleteFunc(authors, func(x catalog.Expert) bool { return x.PersonID != "" && hidden[x.PersonID] })
	t.Authorship = authors[:min(len(authors), maxExperts)]
	return t, nil
}

// packageProjects returns the first maxUsers projects using the package
// whose URL without version is id, as store.PackageProjects orders them
// (by name, key, then ID), with their names and keys from the estate
// snapshot: the store reads the uses from their index alone, without
// reading every project's name (4 of the 5 ms of database CPU of a
// package used by 5,000 of 50,000 projects). When a project using it is
// newer than the snapshot, the store names them all.
func (c *Catalog) packageProjects(ctx context.Context, id string) ([]catalog.ProjectUse, error) {
	e, err := c.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	e.indexOnce.Do(e.index)
	us, err := c.st.PackageProjects(ctx, store.UsageFilter{Package: id, NoNames: true})
	if err != nil {
		return nil, err
	}
	for i := range us {
		p := e.byID[us[i].ProjectID]
		if p == nil {
			return c.st.PackageProjects(ctx, store.UsageFilter{Package: id, Limit: maxUsers})
		}
		us[i].Project, us[i].ProjectKey = p.Name, p.Key
	}
	slices.SortFunc(us, func(a, b catalog.ProjectUse) int {
		return cmp.Or(strings.Compare(a.Project, b.Project), strings.Compare(a.ProjectKey, b.ProjectKey), cmp.Compare(a.ProjectID, b.ProjectID))
	})
	return us[:min(len(us), maxUsers)], nil
}

// hiddenExperts returns the IDs of the people who opted out of appearing
// as experts, read fresh from the store.
func (c *Catalog) hiddenExperts(ctx context.Context) (map[string]bool, error) {
	os, err := c.OptOuts(ctx)
	if err != nil {
		return nil, err
	}
	hidden := map[string]bool{}
	for id, o := range os {
		if o.Experts {
			hidden[id] = true
		}
	}
	return hidden, nil
}

// HiddenExperts returns the people who opted out of appearing as experts
// with every e-mail of theirs (see expertise.Hidden), read fresh from the
// store; their identities come from the estate snapshot, or the store for
// a person newer than it.
func (c *Catalog) HiddenExperts(ctx context.Context) (expertise.Hidden, error) {
	opts, err := c.st.OptOuts(ctx)
	if err != nil {
		return expertise.Hidden{}, err
	}
	if !slices.ContainsFunc(opts, func(o catalog.OptOut) bool { return o.Experts }) {
		return expertise.Hidden{}, nil
	}
	snap, err := c.Snapshot(ctx)
	if err != nil {
		return expertise.Hidden{}, err
	}
	snap.indexOnce.Do(snap.index)
	var ferr error
	h := expertise.HiddenOf(opts, func(id string) []string {
		p := snap.humans[id]
		if p == nil {
			sp, err := c.st.Person(ctx, id)
			if err != nil {
				if !errors.Is(err, store.ErrNotFound) {
					ferr = err
				}
				return nil
			}
			p = sp
		}
		out := []string{p.Email}
		for _, i := range p.Identities {
			out = append(out, i.Email)
		}
		return out
	})
	return h, ferr
}

// authorship ranks the people who know the code of the given projects
// (expertise.Rank over each project's main authors and its reviewers, which
// the snapshot holds), at most limit, each with at most three projects of
// evidence.
func (c *Catalog) authorship(ctx context.Context, ids []int64, limit int) ([]catalog.Expert, error) {
	e, err := c.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	e.indexOnce.Do(e.index)
	in := make([]expertise.ProjectAuthors, 0, len(ids))
	for _, id := range ids {
		as, rs := e.authors[id], e.reviewers[id]
		if len(as) > 0 || len(rs) > 0 {
			in = append(in, expertise.ProjectAuthors{ID: id, Name: e.byID[id].Name, Authors: as, Reviewers: rs})
		}
	}
	out := expertise.Rank(in, c.now(), limit)
	for i := range out {
		out[i].Evidence = out[i].Evidence[:min(len(out[i].Evidence), 3)]
	}
	return nonNil(out), nil
}

// packageName returns the ecosystem and name of the package whose URL
// without version is id: from the estate snapshot's technologies, else
// (a package newer than the snapshot, or its URL spelled another way) from
// its first use.
func (c *Catalog) packageName(ctx context.Context, id string) (ecosystem, name string, err error) {
	e, err := c.Snapshot(ctx)
	if err != nil {
		return "", "", err
	}
	e.indexOnce.Do(e.index)
	if t := e.packages[id]; t != nil {
		return t.Ecosystem, t.Name, nil
	}
	us, err := c.st.WhoUses(ctx, store.UsageFilter{Package: id, Limit: 1})
	if err != nil || len(us) == 0 {
		return "", "", err
	}
	return us[0].Ecosystem, us[0].Name, nil
}

// Evidence is a technology a person has worked with: the projects they
// contributed to that use it, and their commits there.
type Evidence struct {
	Kind      string `json:"kind"`
	ID        string `json:"id"`
	Name      string `json:"name"`
	Ecosystem string `json:"ecosystem,omitempty"`
	Projects  int    `json:"projects"`
	Commits   int    `json:"commits"`
}

// Person is a developer with the technologies their work shows and their
// weekly activity.
type Person struct {
	catalog.Person
	// Technologies aggregate the languages of all the person's projects
	// and the direct dependencies of their 50 most active, weighted by
	// their commits there, most commits first.
	Technologies []Evidence `json:"technologies"`
	// Teams own the projects the person contributed to (all of them).
	Teams []Team `json:"teams"`
}

// Person returns the view of one person. ref is a person ID, email or name.
// Returns store.ErrNotFound or a wrapped store.ErrAmbiguous.
func (c *Catalog) Person(ctx context.Context, ref string) (*Person, error) {
	p, err := c.st.Person(ctx, ref)
	if err != nil {
		return nil, err
	}
	v := &Person{Person: *p}
	ev := map[string]*Evidence{}
	teams := map[string]int{}
	add := func(pp catalog.PersonProject, kind, id, name, eco string) {
		k := kind + "\x00" + id
		e := ev[k]
		if e == nil {
			e = &Evidence{Kind: kind, ID: id, Name: name, Ecosystem: eco}
			ev[k] = e
		}
		e.Projects++
		e.Commits += pp.Commits
	}
	// Languages and owners of every project of theirs, from the estate
	// snapshot (a project newer than the snapshot adds its dependencies
	// only, until the next one).
	snap, err := c.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	snap.indexOnce.Do(snap.index)
	for _, pp := range p.Projects {
		proj := snap.byID[pp.ProjectID]
		if proj == nil {
			continue
		}
		for _, l := range proj.Languages {
			add(pp, "language", l.Name, l.Name, "")
		}
		owners := map[string]bool{}
		for _, o := range proj.Owners {
			if !owners[o.Owner] {
				owners[o.Owner] = true
				teams[o.Owner]++
			}
		}
	}
	// Direct dependencies of the most active projects, in one store read.
	top := p.Projects[:min(len(p.Projects), maxEvidenceProjs)]
	ids := make([]int64, len(top))
	for i, pp := range top {
		ids[i] = pp.ProjectID
	}
	deps, err := c.directDependencies(ctx, snap, ids)
	if err != nil {
		return nil, fmt.Errorf("projects of %s: %w", p.ID, err)
	}
	for _, pp := range top {
		seen := map[string]bool{}
		for _, d := range deps[pp.ProjectID] {
			id := PackageID(catalog.Dependency{PURL: d.PURL})
			if !seen[id] {
				seen[id] = true
				add(pp, "package", id, d.Name, d.Ecosystem)
			}
		}
	}
	for _, e := range ev {
		v.Technologies = append(v.Technologies, *e)
	}
	slices.SortFunc(v.Technologies, func(a, b Evidence) int {
		return cmp.Or(b.Commits-a.Commits, b.Projects-a.Projects, strings.Compare(a.Kind, b.Kind), strings.Compare(a.ID, b.ID))
	})
	v.Technologies = nonNil(v.Technologies[:min(len(v.Technologies), maxEvidenceShown)])
	for o, n := range teams {
		v.Teams = append(v.Teams, Team{o, n})
	}
	slices.SortFunc(v.Teams, func(a, b Team) int { return cmp.Or(b.Projects-a.Projects, strings.Compare(a.Owner, b.Owner)) })
	v.Teams = nonNil(v.Teams)
	return v, nil
}

// directDependencies returns the direct dependencies of the projects with
// the given IDs as Store.DirectDependencies does, taking those of a
// project the recommendation model's inputs hold at the snapshot's
// revision of it from there (see InputCache) and reading the others from
// the store: a person's page read a thousand dependency rows for its 50
// projects, half of its CPU and database time at 50,000 projects. Like the
// rest of the page, a project changed since the snapshot shows what the
// snapshot knew of it until the next snapshot.
func (c *Catalog) directDependencies(ctx context.Context, snap *Snapshot, ids []int64) (map[int64][]recommend.Dependency, error) {
	c.mu.Lock()
	in := c.inputs
	c.mu.Unlock()
	out := make(map[int64][]recommend.Dependency, len(ids))
	var rest []int64
	for _, id := range ids {
		if p := snap.byID[id]; p != nil && in != nil {
			if pi, ok := in.projects[id]; ok && pi.revision == p.Revision {
				if pi.deps != nil {
					out[id] = pi.deps
				}
				continue
			}
		}
		rest = append(rest, id)
	}
	if len(rest) == 0 {
		return out, nil
	}
	deps, err := c.st.DirectDependencies(ctx, rest)
	if err != nil {
		return nil, err
	}
	for id, ds := range deps {
		out[id] = slimDependencies(ds, interner{})
	}
	return out, nil
}

// People returns one page of people matching query, most commits first.
func (c *Catalog) People(ctx context.Context, query string, pg Paging) (Page[catalog.Person], error) {
	p, err := pg.Normalize()
	if err != nil {
		return Page[catalog.Person]{}, err
	}
	// From the estate snapshot, filtered in memory (see search.go).
	e, err := c.Snapshot(ctx)
	if err != nil {
		return Page[catalog.Person]{}, err
	}
	if strings.TrimSpace(query) == "" {
		return PageOf(e.people, p), nil
	}
	return PageOf(e.findPeople(query), p), nil
}

// Technologies returns one page of technologies; kind is "package",
// "language" or empty.
func (c *Catalog) Technologies(ctx context.Context, kind, ecosystem, query string, pg Paging) (Page[catalog.Technology], error) {
	p, err := pg.Normalize()
	if err != nil {
		return Page[catalog.Technology]{}, err
	}
	// From the estate snapshot, filtered in memory (see search.go).
	e, err := c.Snapshot(ctx)
	if err != nil {
		return Page[catalog.Technology]{}, err
	}
	ts, err := e.findTechnologies(kind, ecosystem, query)
	if err != nil {
		return Page[catalog.Technology]{}, err
	}
	return PageOf(ts, p), nil
}

// TeamView is a team with its projects, the people who work on them and
// their scores.
type TeamView struct {
	Owner string `json:"owner"`
	// Projects are the team's projects by name, at most 200 (all of them:
	// GET /api/v1/projects?owner=…, paged).
	Projects      []catalog.Project `json:"projects"`
	ProjectsTotal int               `json:"projects_total"`
	// Members are the people who contributed to any of the team's
	// projects, most commits there first (top 50).
	Members []catalog.Person `json:"members"`
	// Scores count the latest scores of all the team's projects by band.
	Scores ScoreDistribution `json:"scores"`
}

// Teams returns one page of teams matching query (a substring of the owner).
func (c *Catalog) Teams(ctx context.Context, query string, pg Paging) (Page[Team], error) {
	p, err := pg.Normalize()
	if err != nil {
		return Page[Team]{}, err
	}
	e, err := c.Snapshot(ctx)
	if err != nil {
		return Page[Team]{}, err
	}
	return PageOf(filterTeams(e.Teams, query), p), nil
}

func filterTeams(ts []Team, query string) []Team {
	query = strings.ToLower(strings.TrimSpace(query))
	if query == "" {
		return ts
	}
	var out []Team
	for _, t := range ts {
		if strings.Contains(strings.ToLower(t.Owner), query) {
			out = append(out, t)
		}
	}
	return out
}

// Team returns the view of one owner. Returns store.ErrNotFound if it owns
// nothing. It is made from the estate snapshot only, and kept with it (up
// to maxTechViews views): the view is shared, callers must not change it.
func (c *Catalog) Team(ctx context.Context, owner string) (*TeamView, error) {
	// The owner's projects, by name, from the estate snapshot.
	e, err := c.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	key := strings.ToLower(owner)
	c.techMu.Lock()
	if v, ok := c.teamViews[key]; ok && v.snap == e {
		c.techMu.Unlock()
		return v.t, nil
	}
	c.techMu.Unlock()
	t, err := c.team(ctx, e, owner)
	if err != nil {
		return nil, err
	}
	c.techMu.Lock()
	defer c.techMu.Unlock()
	if c.teamViews == nil || len(c.teamViews) >= maxTechViews {
		c.teamViews = map[string]teamView{}
	}
	c.teamViews[key] = teamView{e, t}
	return t, nil
}

// teamView is a team's view kept by Team, with the snapshot it was made from.
type teamView struct {
	snap *Snapshot
	t    *TeamView
}

// team makes the view of Team from e.
func (c *Catalog) team(ctx context.Context, e *Snapshot, owner string) (*TeamView, error) {
	t := &TeamView{Owner: owner, Projects: []catalog.Project{}}
	var ids []int64
	var scores []float64
	for _, p := range e.all {
		i := slices.IndexFunc(p.Owners, func(o catalog.Owner) bool { return strings.EqualFold(o.Owner, owner) })
		if i < 0 {
			continue
		}
		t.Owner = p.Owners[i].Owner
		ids = append(ids, p.ID)
		if len(t.Projects) < maxTeamProjects {
			t.Projects = append(t.Projects, p)
		}
		if s, ok := e.scores[p.ID]; ok {
			scores = append(scores, s)
		}
	}
	if len(ids) == 0 {
		return nil, store.ErrNotFound
	}
	t.ProjectsTotal = len(ids)
	t.Scores = distribution(scores)
	members, err := c.experts(ctx, ids, maxTeamMembers)
	if err != nil {
		return nil, err
	}
	t.Members = nonNil(members)
	return t, nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// Owned returns the projects whose ownership claims (CODEOWNERS,
// catalog-info.yaml, innersource.json) owns accepts, by name: from the
// estate snapshot, at most a TTL old.
func (c *Catalog) Owned(ctx context.Context, owns func([]catalog.Owner) bool) ([]ProjectRef, error) {
	e, err := c.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	var out []ProjectRef
	for i := range e.all {
		p := &e.all[i]
		if len(p.Owners) > 0 && owns(p.Owners) {
			out = append(out, ProjectRef{ID: p.ID, Name: p.Name, Key: p.Key})
		}
	}
	return out, nil
}
