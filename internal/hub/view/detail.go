package view

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store"
)

// Bounds on the work one detail view does.
const (
	maxUsers         = 5000 // projects using a package read for its page
	maxLanguageProjs = 200  // projects listed on a language's page
	maxExperts       = 25   // people listed on a technology or team page
	maxEvidenceProjs = 10   // a person's projects read in full for their dependencies and weekly activity
	maxTeamProjects  = 200
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
	// Projects using it (at most 200 for a language).
	Projects []ProjectRef `json:"projects_using"`
	// Versions in use, most used first (packages only): the drift.
	Versions []VersionCount `json:"versions_in_use,omitempty"`
	// Experts are the people who work on those projects, most commits first.
	Experts []catalog.Person `json:"experts"`
	// Advisories affecting the package (packages only), worst first, with
	// the versions in use each affects.
	Advisories []PackageAdvisory `json:"advisories,omitempty"`
}

// IsPackage reports whether id names a package (a package URL) rather than a language.
func IsPackage(id string) bool { return strings.HasPrefix(id, "pkg:") }

// Technology returns the view of a package (id is its package URL without
// version) or a language (id is its name). Returns store.ErrNotFound if no
// project uses it.
func (c *Catalog) Technology(ctx context.Context, id string) (*Technology, error) {
	id = strings.TrimSpace(id)
	if id == "" {
		return nil, store.ErrNotFound
	}
	t := &Technology{}
	var ids []int64
	if IsPackage(id) {
		us, err := c.st.PackageProjects(ctx, store.UsageFilter{Package: id, Limit: maxUsers})
		if err != nil {
			return nil, err
		}
		if len(us) == 0 {
			return nil, store.ErrNotFound
		}
		t.Kind, t.ID, t.Ecosystem, t.Name = "package", id, us[0].Ecosystem, us[0].Name
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
		e, err := c.Estate(ctx)
		if err != nil {
			return nil, err
		}
		var ps []catalog.Project
		for _, p := range e.all {
			if len(ps) < maxLanguageProjs && slices.ContainsFunc(p.Languages, func(l catalog.Language) bool { return strings.EqualFold(l.Name, id) }) {
				ps = append(ps, p)
			}
		}
		if len(ps) == 0 {
			return nil, store.ErrNotFound
		}
		t.Kind, t.ID, t.Name = "language", id, id
		for _, p := range ps {
			for _, l := range p.Languages {
				if strings.EqualFold(l.Name, id) {
					t.Name = l.Name
				}
			}
			t.Projects = append(t.Projects, ProjectRef{ID: p.ID, Name: p.Name, Key: p.Key})
			ids = append(ids, p.ID)
		}
		t.Technology.Projects = len(ps)
		if ts, err := c.st.Technologies(ctx, store.TechnologyFilter{Kind: "language", Query: id}); err == nil {
			for _, x := range ts {
				if strings.EqualFold(x.ID, id) || strings.EqualFold(x.Name, id) {
					t.Technology.Projects = x.Projects
				}
			}
		}
	}
	experts, err := c.experts(ctx, ids, maxExperts)
	if err != nil {
		return nil, err
	}
	t.Experts = nonNil(experts)
	return t, nil
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
	// and the direct dependencies of their 10 most active, weighted by
	// their commits there, most commits first.
	Technologies []Evidence `json:"technologies"`
	// Activity is the person's weekly activity over their 10 most active projects.
	Activity []catalog.WeekActivity `json:"activity"`
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
	var weeks []catalog.Contribution
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
	// snapshot (projects there without a snapshot entry, i.e. newer than
	// it, are read from the store below if among the most active).
	snap, err := c.Estate(ctx)
	if err != nil {
		return nil, err
	}
	snap.indexOnce.Do(snap.index)
	inSnap := map[int64]bool{}
	for _, pp := range p.Projects {
		proj := snap.byID[pp.ProjectID]
		if proj == nil {
			continue
		}
		inSnap[pp.ProjectID] = true
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
	// Direct dependencies and weekly activity need the project in full:
	// only the most active projects are read, a few at a time (on
	// PostgreSQL a read is mostly waiting for round trips).
	full, err := c.readProjects(ctx, p.Projects[:min(len(p.Projects), maxEvidenceProjs)])
	if err != nil {
		return nil, fmt.Errorf("projects of %s: %w", p.ID, err)
	}
	for i, pp := range p.Projects[:len(full)] {
		proj := full[i]
		if !inSnap[pp.ProjectID] {
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
		seen := map[string]bool{}
		for _, d := range proj.Dependencies {
			id := PackageID(d)
			if d.Direct && !seen[id] {
				seen[id] = true
				add(pp, "package", id, d.Name, d.Ecosystem)
			}
		}
		for _, c := range proj.Contributors {
			if c.PersonID == p.ID {
				weeks = append(weeks, c)
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
	v.Activity = Activity(weeks)
	for o, n := range teams {
		v.Teams = append(v.Teams, Team{o, n})
	}
	slices.SortFunc(v.Teams, func(a, b Team) int { return cmp.Or(b.Projects-a.Projects, strings.Compare(a.Owner, b.Owner)) })
	v.Teams = nonNil(v.Teams)
	return v, nil
}

// readParallel is how many projects one request reads from the store at once.
const readParallel = 4

// readProjects reads the given projects in full, in order, at most
// readParallel at a time.
func (c *Catalog) readProjects(ctx context.Context, pps []catalog.PersonProject) ([]*catalog.Project, error) {
	out := make([]*catalog.Project, len(pps))
	errs := make([]error, len(pps))
	sem := make(chan struct{}, readParallel)
	var wg sync.WaitGroup
	for i, pp := range pps {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			out[i], errs[i] = c.st.Project(ctx, strconv.FormatInt(pp.ProjectID, 10))
			if errs[i] != nil {
				errs[i] = fmt.Errorf("project %d: %w", pp.ProjectID, errs[i])
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
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
	e, err := c.Estate(ctx)
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
	e, err := c.Estate(ctx)
	if err != nil {
		return Page[catalog.Technology]{}, err
	}
	ts, err := e.findTechnologies(kind, ecosystem, query)
	if err != nil {
		return Page[catalog.Technology]{}, err
	}
	return PageOf(ts, p), nil
}

// TeamView is a team with its projects and the people who work on them.
type TeamView struct {
	Owner    string            `json:"owner"`
	Projects []catalog.Project `json:"projects"`
	// Members are the people who contributed to the team's projects, most
	// commits first.
	Members []catalog.Person `json:"members"`
}

// Teams returns one page of teams matching query (a substring of the owner).
func (c *Catalog) Teams(ctx context.Context, query string, pg Paging) (Page[Team], error) {
	p, err := pg.Normalize()
	if err != nil {
		return Page[Team]{}, err
	}
	e, err := c.Estate(ctx)
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

// Team returns the view of one owner. Returns store.ErrNotFound if it owns nothing.
func (c *Catalog) Team(ctx context.Context, owner string) (*TeamView, error) {
	// The owner's projects, by name, from the estate snapshot.
	e, err := c.Estate(ctx)
	if err != nil {
		return nil, err
	}
	var ps []catalog.Project
	for _, p := range e.all {
		if len(ps) < maxTeamProjects && slices.ContainsFunc(p.Owners, func(o catalog.Owner) bool { return strings.EqualFold(o.Owner, owner) }) {
			ps = append(ps, p)
		}
	}
	if len(ps) == 0 {
		return nil, store.ErrNotFound
	}
	t := &TeamView{Owner: owner, Projects: ps}
	for _, p := range ps {
		for _, o := range p.Owners {
			if strings.EqualFold(o.Owner, owner) {
				t.Owner = o.Owner
			}
		}
	}
	ids := make([]int64, len(ps))
	for i, p := range ps {
		ids[i] = p.ID
	}
	members, err := c.experts(ctx, ids, 50)
	if err != nil {
		return nil, err
	}
	t.Members = nonNil(members)
	return t, nil
}

// Results is what a search finds in each kind of thing.
type Results struct {
	Query     string               `json:"query"`
	Projects  []catalog.Project    `json:"projects"`
	Packages  []catalog.Technology `json:"packages"`
	Languages []catalog.Technology `json:"languages"`
	People    []catalog.Person     `json:"people"`
	Teams     []Team               `json:"teams"`
}

// Empty reports whether the search found nothing.
func (r *Results) Empty() bool {
	return len(r.Projects)+len(r.Packages)+len(r.Languages)+len(r.People)+len(r.Teams) == 0
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
