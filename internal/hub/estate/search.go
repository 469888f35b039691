package estate

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
)

// Text search on the hub is answered from the estate snapshot, not the
// store: the snapshot already holds every project, person and technology,
// and a substring scan of their folded text in memory takes about a
// millisecond for 10,000 projects, 5,000 people and 20,000 packages, where
// the store's LIKE scans (one per kind of thing, then the matched projects'
// facts) took 40–120 ms under load (docs/benchmarks.md). Results are as
// fresh as the snapshot, like the unfiltered lists. The store keeps its own
// search (ListProjects, ListPeople, Technologies with a Query) for the CLI.

// searchText is the folded text the hub matches a query against, built
// once per snapshot, in the order of the snapshot's slices.
type searchText struct {
	projects []string // name, key, path, description
	people   []string // ID, name, email and every identity
	techs    []string // name (and, for PyPI, its normalised form)
}

func fold(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func newSearchText(e *Snapshot) *searchText {
	s := &searchText{
		projects: make([]string, len(e.all)),
		people:   make([]string, len(e.people)),
		techs:    make([]string, len(e.techs)),
	}
	for i, p := range e.all {
		s.projects[i] = fold(strings.Join([]string{p.Name, p.Key, p.Path, p.Description}, "\n"))
	}
	for i, p := range e.people {
		parts := []string{p.ID, p.Name, p.Email}
		for _, id := range p.Identities {
			parts = append(parts, id.Name, id.Email)
		}
		s.people[i] = fold(strings.Join(parts, "\n"))
	}
	for i, t := range e.techs {
		s.techs[i] = fold(t.Name)
		if t.Kind == "package" && strings.EqualFold(t.Ecosystem, "pypi") {
			s.techs[i] += "\n" + catalog.PackageKey("pypi", t.Name)
		}
	}
	return s
}

// matcher reports whether folded text contains a query: the query as typed
// (folded), or its PEP 503 form for package names ("Flask_SQLAlchemy"
// finds "flask-sqlalchemy").
type matcher struct{ q, pypi string }

func newMatcher(query string) matcher {
	q := fold(query)
	return matcher{q: q, pypi: catalog.PackageKey("pypi", q)}
}

func (m matcher) match(text string) bool { return strings.Contains(text, m.q) }

func (m matcher) matchName(text string) bool {
	return strings.Contains(text, m.q) || (m.pypi != m.q && strings.Contains(text, m.pypi))
}

// rank orders a match for a search box: the name equal to the query first,
// then names starting with it, then names containing it, then matches in
// other fields (key, path, description, email).
func (m matcher) rank(name string) int {
	n := fold(name)
	switch {
	case n == m.q:
		return 0
	case strings.HasPrefix(n, m.q):
		return 1
	case strings.Contains(n, m.q):
		return 2
	}
	return 3
}

// findProjects returns the indexes in e.all of the snapshot's projects
// matching query, by name.
func (e *Snapshot) findProjects(query string) []int32 {
	m := newMatcher(query)
	var out []int32
	for i, t := range e.text.projects {
		if m.match(t) {
			out = append(out, int32(i))
		}
	}
	return out
}

// findPeople returns the snapshot's people matching query, most commits first.
func (e *Snapshot) findPeople(query string) []catalog.Person {
	m := newMatcher(query)
	var out []catalog.Person
	for i, t := range e.text.people {
		if m.match(t) {
			out = append(out, e.people[i])
		}
	}
	return out
}

// findTechnologies returns the snapshot's technologies of kind ("" for
// both) and ecosystem ("" for any; packages only) whose name matches query
// ("" matches all), most used first.
func (e *Snapshot) findTechnologies(kind, ecosystem, query string) ([]catalog.Technology, error) {
	kind = fold(kind)
	if kind != "" && kind != "package" && kind != "language" {
		return nil, fmt.Errorf("%w: unknown kind %q (want package, language or none)", ErrInvalid, kind)
	}
	ecosystem = strings.TrimSpace(ecosystem)
	m := newMatcher(query)
	if kind == "" && ecosystem == "" && m.q == "" {
		return e.techs, nil // not copied: 20,000 packages are 2 MB
	}
	var out []catalog.Technology
	for i, t := range e.techs {
		if (kind == "" || t.Kind == kind) &&
			(ecosystem == "" || (t.Kind == "package" && strings.EqualFold(t.Ecosystem, ecosystem))) &&
			(m.q == "" || m.matchName(e.text.techs[i])) {
			out = append(out, t)
		}
	}
	return out, nil
}

// Results is what a search finds in each kind of thing.
type Results struct {
	Query     string               `json:"query"`
	Projects  []catalog.Project    `json:"projects"`
	Packages  []catalog.Technology `json:"packages"`
	Languages []catalog.Technology `json:"languages"`
	People    []catalog.Person     `json:"people"`
	Teams     []Team               `json:"teams"`
	// Resources are the OSPO's pages that match (see SetResourcePages).
	Resources []ResourceHit `json:"resources"`
	// Docs are the pages of projects' docs/ folders that match, as their
	// last scans found them (store.SearchDocs).
	Docs []DocResult `json:"docs"`
	// Totals count every match of each kind (each list holds the best 20).
	Totals SearchTotals `json:"totals"`
}

// SearchTotals count the matches of a search by kind.
type SearchTotals struct {
	Projects  int `json:"projects"`
	Packages  int `json:"packages"`
	Languages int `json:"languages"`
	People    int `json:"people"`
	Teams     int `json:"teams"`
	Resources int `json:"resources"`
	Docs      int `json:"docs"`
}

// DocResult is a project's doc page a search found, with its hub address.
type DocResult struct {
	catalog.DocHit
	URL string `json:"url"`
}

// ResourceHit is a resource page a search found.
type ResourceHit struct {
	Name        string    `json:"name"`
	URL         string    `json:"url"`
	Title       string    `json:"title"`
	Description string    `json:"description,omitempty"`
	Owner       string    `json:"owner,omitempty"`
	Updated     time.Time `json:"updated,omitzero"`
}

// Empty reports whether the search found nothing.
func (r *Results) Empty() bool {
	return len(r.Projects)+len(r.Packages)+len(r.Languages)+len(r.People)+len(r.Teams)+len(r.Resources)+len(r.Docs) == 0
}

// Search looks for query in projects, packages, languages, people, teams,
// the resource pages and the projects' doc pages (at most 20 of each), best
// match first: the name equal to the query, then
// names starting with it, then containing it, then other fields. An empty
// query finds nothing.
func (c *Catalog) Search(ctx context.Context, query string) (*Results, error) {
	q := strings.TrimSpace(query)
	r := &Results{Query: q, Projects: []catalog.Project{}, Packages: []catalog.Technology{},
		Languages: []catalog.Technology{}, People: []catalog.Person{}, Teams: []Team{}, Resources: []ResourceHit{}, Docs: []DocResult{}}
	if q == "" {
		return r, nil
	}
	e, err := c.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	m := newMatcher(q)
	projects, people := e.findProjects(q), e.findPeople(q)
	r.Projects = best(projects, func(i int32) int { return m.rank(e.all[i].Name) }, func(i int32) catalog.Project { return e.all[i] })
	r.People = best(people, func(p catalog.Person) int { return min(m.rank(p.Name), m.rank(p.ID), m.rank(p.Email)) }, same)
	techs, err := e.findTechnologies("", "", q)
	if err != nil {
		return nil, err
	}
	var pkgs, langs []catalog.Technology
	for _, t := range techs {
		if t.Kind == "package" {
			pkgs = append(pkgs, t)
		} else {
			langs = append(langs, t)
		}
	}
	techRank := func(t catalog.Technology) int {
		return min(m.rank(t.Name), matcher{q: m.pypi}.rank(catalog.PackageKey(t.Ecosystem, t.Name)))
	}
	r.Packages = best(pkgs, techRank, same)
	r.Languages = best(langs, techRank, same)
	teams := filterTeams(e.Teams, q)
	r.Teams = best(teams, func(t Team) int { return m.rank(t.Owner) }, same)
	r.Totals = SearchTotals{Projects: len(projects), Packages: len(pkgs), Languages: len(langs), People: len(people), Teams: len(teams)}
	// A resources repository that cannot be read fails its own page
	// (/resources), not every search.
	if set, err := c.ResourcePages(ctx); err == nil {
		pages := set.Search(q)
		r.Totals.Resources = len(pages)
		for _, p := range pages[:min(len(pages), searchLimit)] {
			r.Resources = append(r.Resources, ResourceHit{Name: p.Name, URL: ResourceURL(p.Name), Title: p.Title,
				Description: p.Description, Owner: p.Owner, Updated: p.Updated})
		}
	}
	if c.st == nil { // a catalogue over a snapshot alone (tests)
		return r, nil
	}
	docs, total, err := c.st.SearchDocs(ctx, q, searchLimit)
	if err != nil {
		return nil, err
	}
	r.Totals.Docs = total
	for _, d := range docs {
		r.Docs = append(r.Docs, DocResult{DocHit: d, URL: ProjectDocURL(d.ProjectID, d.Name)})
	}
	return r, nil
}

// best returns, as values, the searchLimit matches with the lowest rank,
// keeping their order within a rank; never nil.
func best[M, T any](matches []M, rank func(M) int, value func(M) T) []T {
	type ranked struct {
		r int
		m M
	}
	rs := make([]ranked, len(matches))
	for i, m := range matches {
		rs[i] = ranked{rank(m), m}
	}
	slices.SortStableFunc(rs, func(a, b ranked) int { return cmp.Compare(a.r, b.r) })
	out := make([]T, 0, min(len(rs), searchLimit))
	for _, x := range rs[:min(len(rs), searchLimit)] {
		out = append(out, value(x.m))
	}
	return out
}

func same[T any](v T) T { return v }
