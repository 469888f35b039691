// Package recommend recommends what a person of the estate should look at
// next, and finds projects like a given one, from the catalogue graph:
//
//   - technologies, by item-based collaborative filtering over the person ×
//     technology matrix (a person uses the packages and languages of the
//     projects they contributed to), weighted by how recently they worked
//     with each, plus the upgrades their projects need (vulnerable or
//     drifting versions);
//   - projects to contribute to: InnerSource projects whose stack matches
//     the person's (technologies weighted by inverse document frequency, so
//     that what every project uses counts little), near their team;
//   - people to meet: the experts of the technologies they are adopting,
//     mentors on another team first;
//   - training and articles from a resource catalogue, matched to their
//     stack and gaps.
//
// Every recommendation carries a sentence saying why. People who opted out
// are never recommended (neither as experts to meet nor as anyone's
// example), and get no recommendations.
//
// The package takes values and returns values: it reads no store and
// serves no HTTP. Build turns an Estate into a Model once (the expensive
// part: co-occurrences of technologies); For answers one person from it in
// well under a millisecond. Evaluate measures the recommenders offline by
// splitting the estate's history in time.
package recommend

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
)

// HalfLife is how fast a person's use of a technology fades: a technology
// last worked with a year ago weighs half as much as one used today.
const HalfLife = 365 * 24 * time.Hour

// Estate is what the recommenders read: the catalogue's projects with
// their stacks, contributions and authors, its people and their teams,
// the upgrades its projects need, the resource catalogue and the
// opt-outs. The zero value is an empty estate.
type Estate struct {
	Projects  []Project
	People    []Person
	Upgrades  []Upgrade
	Resources []Resource
	// OptOuts are the people (by person ID) who asked not to appear as
	// experts or in recommendations.
	OptOuts map[string]catalog.OptOut
}

// Project is one project as the recommenders see it.
type Project struct {
	ID   int64
	Name string
	// InnerSource reports a project that welcomes contributions from other
	// teams (catalog.KindInnerSource).
	InnerSource bool
	// Teams are the owners of the project (CODEOWNERS teams, catalog-info
	// groups), as written.
	Teams []string
	// Techs are the project's technologies: its direct dependencies'
	// packages and its languages, each once.
	Techs []Tech
	// Contributors are the people who committed, by catalogue person.
	Contributors []Contribution
	// Authors are the authors of the project's code (see catalog.Expertise).
	Authors []catalog.Author
	// HelpWanted are the project's open issues that ask for help (labelled
	// help wanted or good first issue on its forge), newest first.
	HelpWanted []HelpIssue
}

// HelpIssue is an open forge issue of a project that asks for help.
type HelpIssue struct {
	Number int64  `json:"number"`
	Title  string `json:"title"`
	URL    string `json:"url,omitempty"`
	// Label is the label that asks for help, as the forge spells it.
	Label string `json:"label"`
}

// Tech is a technology: a package (ID is its package URL without version)
// or a language (ID is its name).
type Tech struct {
	ID   string
	Name string
}

// Contribution is a person's work on a project: their first and last
// commit there and how many commits.
type Contribution struct {
	PersonID    string
	FirstCommit time.Time
	LastCommit  time.Time
	Commits     int
}

// Person is one person of the estate.
type Person struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
	// Teams are the teams the person belongs to; empty means unknown, and
	// the owners of the project they committed most to stand in.
	Teams []string `json:"teams,omitempty"`
}

// Upgrade is a version of a package one project should move off: a
// vulnerable version (Reason "vulnerable", with the advisories) or one
// that drifted behind the rest of the estate (Reason "drifting").
type Upgrade struct {
	ProjectID int64  `json:"project_id"`
	Project   string `json:"project"`
	TechID    string `json:"tech_id"`
	Package   string `json:"package"`
	Version   string `json:"version"`
	// To is the version to move to; empty when unknown.
	To     string `json:"to,omitempty"`
	Reason string `json:"reason"`
	// Worst is the worst severity rating of a vulnerable version's findings.
	Worst string `json:"worst,omitempty"`
	// Detail says why, for a person: "CVE-… (high)", "7 of 9 projects run 1.27.0".
	Detail string `json:"detail"`
}

// Upgrade reasons.
const (
	ReasonVulnerable = "vulnerable"
	ReasonDrifting   = "drifting"
)

// Model is an Estate indexed for recommendations. It is immutable once
// built and safe for concurrent use.
type Model struct {
	built time.Time

	projects []Project
	projIdx  map[int64]int32
	people   []Person
	persIdx  map[string]int32
	techs    []Tech
	techIdx  map[string]int32

	projTechs       [][]int32        // techs of each project
	techProjects    [][]int32        // projects of each tech
	idf             []float64        // per tech, over projects
	personProjs     [][]int32        // projects each person contributed to
	projPeople      [][]int32        // people of each project
	projContribs    [][]Contribution // aligned with projPeople, merged by person; parts of contribs
	contribs        []Contribution   // every project's contributions, project after project
	contribStart    []int32          // where each project's are in contribs
	uses            [][]use          // techs of each person, by tech
	techPeople      [][]int32        // people of each tech
	neighbours      [][]neighbour
	popular         []int32    // techs, most people first
	popularProjects []int32    // projects, most people first
	projNorm        []float64  // norm of each project's IDF-weighted stack
	pkgNorm         []float64  // norm of each project's IDF-weighted packages (see Similar)
	isPkg           []bool     // per tech: a package, not a language (see isPackage)
	teams           [][]string // each person's teams (stated or inferred)
	optOut          map[string]catalog.OptOut
	upgrades        map[int64][]Upgrade // by project
	resources       []Resource
	resTechs        [][]int32 // the technologies of each resource
	// nameIdx finds a technology by lower-cased ID or name.
	nameIdx map[string][]int32
	// emailIdx finds a person by lower-cased e-mail.
	emailIdx map[string]int32
	memo     answers // see Answer
}

// use is a person's use of a technology: their first and last commit
// among the projects using it, as the indices in Model.contribs of the
// contributions that hold them (see Model.first and Model.last). Indices,
// not times: a person of a large estate uses hundreds of technologies, and
// twelve bytes a use instead of sixty-four is most of the model's memory.
type use struct {
	tech        int32
	first, last int32
}

// first is when person's use u began: the first commit of the
// contribution it refers to (zero when unknown).
func (m *Model) first(u use) time.Time { return m.contribs[u.first].FirstCommit }

// last is the last commit of the contribution use u refers to.
func (m *Model) last(u use) time.Time { return m.contribs[u.last].LastCommit }

// neighbour is a technology co-used with another: co people use both,
// sim is their cosine similarity over people.
type neighbour struct {
	tech int32
	co   int32
	sim  float32
}

// maxNeighbours is how many co-used technologies Build keeps for each
// technology: enough for ten recommendations from a handful of techs.
const maxNeighbours = 100

// Build indexes e at time now. It reads e and keeps references to its
// slices (but not to its projects' technologies and contributors): e must
// not change afterwards.
func Build(e Estate, now time.Time) *Model {
	m := &Model{built: now, people: e.People, optOut: e.OptOuts, resources: e.Resources,
		projIdx: make(map[int64]int32, len(e.Projects)), persIdx: make(map[string]int32, len(e.People)),
		techIdx: map[string]int32{}, upgrades: map[int64][]Upgrade{}}
	if m.optOut == nil {
		m.optOut = map[string]catalog.OptOut{}
	}
	m.emailIdx = make(map[string]int32, len(e.People))
	for i, p := range e.People {
		m.persIdx[p.ID] = int32(i)
		if k := strings.ToLower(p.Email); k != "" {
			if _, dup := m.emailIdx[k]; !dup {
				m.emailIdx[k] = int32(i)
			}
		}
	}
	m.memo.recs = make([]atomic.Pointer[answer], len(e.People))
	// The projects without their technologies and contributors: the model
	// keeps those as indices (projTechs, projContribs), and a copy of each
	// project's would be most of the memory of a large estate's projects.
	m.projects = make([]Project, len(e.Projects))
	for i, p := range e.Projects {
		p.Techs, p.Contributors = nil, nil
		m.projects[i] = p
	}
	m.projTechs = make([][]int32, len(e.Projects))
	m.projPeople = make([][]int32, len(e.Projects))
	m.projContribs = make([][]Contribution, len(e.Projects))
	m.personProjs = make([][]int32, len(e.People))
	for i, p := range e.Projects {
		m.projIdx[p.ID] = int32(i)
		for _, t := range p.Techs {
			ti, ok := m.techIdx[t.ID]
			if !ok {
				ti = int32(len(m.techs))
				m.techIdx[t.ID] = ti
				m.techs = append(m.techs, t)
				m.techProjects = append(m.techProjects, nil)
			}
			if !slices.Contains(m.projTechs[i], ti) {
				m.projTechs[i] = append(m.projTechs[i], ti)
				m.techProjects[ti] = append(m.techProjects[ti], int32(i))
			}
		}
		for _, c := range p.Contributors {
			pi, ok := m.persIdx[c.PersonID]
			if !ok {
				continue
			}
			if k := slices.Index(m.projPeople[i], pi); k >= 0 {
				merge(&m.projContribs[i][k], c)
				continue
			}
			m.projPeople[i] = append(m.projPeople[i], pi)
			m.projContribs[i] = append(m.projContribs[i], c)
			m.personProjs[pi] = append(m.personProjs[pi], int32(i))
		}
	}
	m.flattenContribs()
	m.idf = make([]float64, len(m.techs))
	for t := range m.techs {
		m.idf[t] = math.Log(float64(1+len(e.Projects)) / float64(1+len(m.techProjects[t])))
	}
	m.projNorm = make([]float64, len(e.Projects))
	m.popularProjects = make([]int32, len(e.Projects))
	for i := range e.Projects {
		m.popularProjects[i] = int32(i)
		for _, t := range m.projTechs[i] {
			m.projNorm[i] += m.idf[t] * m.idf[t]
		}
		m.projNorm[i] = math.Sqrt(m.projNorm[i])
	}
	m.buildPackageNorms()
	slices.SortStableFunc(m.popularProjects, func(a, b int32) int { return cmp.Compare(len(m.projPeople[b]), len(m.projPeople[a])) })
	// Each technology's projects, most recently active first, so that
	// the people to meet are found among the latest work (see peopleFor).
	last := make([]time.Time, len(e.Projects))
	for i := range e.Projects {
		for _, c := range m.projContribs[i] {
			if c.LastCommit.After(last[i]) {
				last[i] = c.LastCommit
			}
		}
	}
	for _, ps := range m.techProjects {
		slices.SortStableFunc(ps, func(a, b int32) int { return cmp.Or(last[b].Compare(last[a]), cmp.Compare(a, b)) })
	}
	m.buildUses()
	m.buildNeighbours()
	m.popular = make([]int32, len(m.techs))
	for t := range m.popular {
		m.popular[t] = int32(t)
	}
	slices.SortStableFunc(m.popular, func(a, b int32) int { return cmp.Compare(len(m.techPeople[b]), len(m.techPeople[a])) })
	m.buildTeams()
	m.nameIdx = make(map[string][]int32, 2*len(m.techs))
	for i, t := range m.techs {
		for _, k := range []string{strings.ToLower(t.ID), strings.ToLower(t.Name)} {
			if !slices.Contains(m.nameIdx[k], int32(i)) {
				m.nameIdx[k] = append(m.nameIdx[k], int32(i))
			}
		}
	}
	m.resTechs = make([][]int32, len(m.resources))
	for i, r := range m.resources {
		m.resTechs[i] = m.resourceTechs(r)
	}
	m.groupUpgrades(e.Upgrades)
	return m
}

// flattenContribs puts every project's contributions in one slice
// (m.contribs), which uses refer to by index.
func (m *Model) flattenContribs() {
	n := 0
	for _, cs := range m.projContribs {
		n += len(cs)
	}
	m.contribs = make([]Contribution, 0, n)
	m.contribStart = make([]int32, len(m.projContribs))
	for i, cs := range m.projContribs {
		at := len(m.contribs)
		m.contribStart[i] = int32(at)
		m.contribs = append(m.contribs, cs...)
		m.projContribs[i] = m.contribs[at:len(m.contribs):len(m.contribs)]
		m.projPeople[i] = slices.Clip(m.projPeople[i])
	}
}

// groupUpgrades fills m.upgrades with ups by project, in their order, all
// in one slice (a large estate has hundreds of thousands of drifting
// versions: a slice grown per project would waste up to half of it).
func (m *Model) groupUpgrades(ups []Upgrade) {
	count := map[int64]int{}
	for _, u := range ups {
		count[u.ProjectID]++
	}
	flat := make([]Upgrade, len(ups))
	off := 0
	for _, u := range ups { // each project's part, in order of first appearance
		if n, ok := count[u.ProjectID]; ok {
			m.upgrades[u.ProjectID] = flat[off : off : off+n]
			off += n
			delete(count, u.ProjectID)
		}
	}
	for _, u := range ups {
		m.upgrades[u.ProjectID] = append(m.upgrades[u.ProjectID], u)
	}
}

// buildUses fills each person's technologies from the projects they
// contributed to.
func (m *Model) buildUses() {
	m.uses = make([][]use, len(m.people))
	at := map[int32]int{}
	var us []use // reused: each person's are copied at their size
	count := make([]int32, len(m.techs))
	for pi := range m.people {
		clear(at)
		us = us[:0]
		for _, pj := range m.personProjs[pi] {
			k := m.contribStart[pj] + int32(slices.Index(m.projPeople[pj], int32(pi)))
			c := &m.contribs[k]
			for _, t := range m.projTechs[pj] {
				i, ok := at[t]
				if !ok {
					at[t] = len(us)
					us = append(us, use{tech: t, first: k, last: k})
					continue
				}
				u := &us[i]
				if first := m.contribs[u.first].FirstCommit; !c.FirstCommit.IsZero() && (first.IsZero() || c.FirstCommit.Before(first)) {
					u.first = k
				}
				if c.LastCommit.After(m.contribs[u.last].LastCommit) {
					u.last = k
				}
			}
		}
		slices.SortFunc(us, func(a, b use) int { return cmp.Compare(a.tech, b.tech) })
		m.uses[pi] = slices.Clone(us)
		for _, u := range us {
			count[u.tech]++
		}
	}
	// Each technology's people, in ascending order, in one slice.
	total := 0
	for _, n := range count {
		total += int(n)
	}
	flat := make([]int32, total)
	m.techPeople = make([][]int32, len(m.techs))
	off := 0
	for t, n := range count {
		m.techPeople[t] = flat[off : off : off+int(n)]
		off += int(n)
	}
	for pi, us := range m.uses {
		for _, u := range us {
			m.techPeople[u.tech] = append(m.techPeople[u.tech], int32(pi))
		}
	}
}

// contribution returns person pi's contribution to project pj (merged
// over their identities); zero if they made none.
func (m *Model) contribution(pj, pi int32) Contribution {
	if k := slices.Index(m.projPeople[pj], pi); k >= 0 {
		return m.projContribs[pj][k]
	}
	return Contribution{}
}

// merge adds c to the contribution of the same person at into.
func merge(into *Contribution, c Contribution) {
	into.Commits += c.Commits
	if !c.FirstCommit.IsZero() && (into.FirstCommit.IsZero() || c.FirstCommit.Before(into.FirstCommit)) {
		into.FirstCommit = c.FirstCommit
	}
	if c.LastCommit.After(into.LastCommit) {
		into.LastCommit = c.LastCommit
	}
}

// buildNeighbours counts, for each technology, how many people use it
// together with each other technology, and keeps the maxNeighbours most
// similar (cosine over people). The cost is the sum over people of the
// square of their number of technologies, with one dense counter reused.
func (m *Model) buildNeighbours() {
	n := len(m.techs)
	m.neighbours = make([][]neighbour, n)
	counts := make([]int32, n)
	var touched []int32
	for t := range n {
		touched = touched[:0]
		for _, pi := range m.techPeople[t] {
			for _, u := range m.uses[pi] {
				if u.tech == int32(t) {
					continue
				}
				if counts[u.tech] == 0 {
					touched = append(touched, u.tech)
				}
				counts[u.tech]++
			}
		}
		nb := make([]neighbour, 0, len(touched))
		nt := float64(len(m.techPeople[t]))
		for _, o := range touched {
			co := counts[o]
			counts[o] = 0
			sim := float64(co) / math.Sqrt(nt*float64(len(m.techPeople[o])))
			nb = append(nb, neighbour{tech: o, co: co, sim: float32(sim)})
		}
		slices.SortFunc(nb, func(a, b neighbour) int {
			return cmp.Or(cmp.Compare(b.sim, a.sim), cmp.Compare(b.co, a.co), cmp.Compare(a.tech, b.tech))
		})
		// A copy of the kept ones: a technology co-used with thousands
		// would otherwise keep all of them in memory (slices.Clip does not
		// free the rest).
		m.neighbours[t] = slices.Clone(nb[:min(len(nb), maxNeighbours)])
	}
}

// buildTeams gives each person their stated teams or, failing those, the
// owners of the project they committed most to.
func (m *Model) buildTeams() {
	m.teams = make([][]string, len(m.people))
	for pi, p := range m.people {
		if len(p.Teams) > 0 {
			m.teams[pi] = normTeams(p.Teams)
			continue
		}
		best, most := int32(-1), -1
		for _, pj := range m.personProjs[pi] {
			c := m.contribution(pj, int32(pi))
			if c.Commits > most && len(m.projects[pj].Teams) > 0 {
				best, most = pj, c.Commits
			}
		}
		if best >= 0 {
			m.teams[pi] = normTeams(m.projects[best].Teams)
		}
	}
}

func normTeams(ts []string) []string {
	out := make([]string, 0, len(ts))
	for _, t := range ts {
		t = teamName(t)
		if t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// teamName reduces an owner as written ("@org/payments", "group:default/payments",
// "team:payments") to the team's name, lower-cased; an e-mail is not a team.
func teamName(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if strings.Contains(s, "@") && !strings.HasPrefix(s, "@") {
		return ""
	}
	s = strings.TrimPrefix(s, "@")
	if i := strings.LastIndexAny(s, "/:"); i >= 0 {
		s = s[i+1:]
	}
	return s
}

// sameTeam reports whether people a and b share a team.
func (m *Model) sameTeam(a, b int32) bool {
	for _, t := range m.teams[a] {
		if slices.Contains(m.teams[b], t) {
			return true
		}
	}
	return false
}

// weight is how much a person's use of a technology counts at now.
func (m *Model) weight(u use, now time.Time) float64 { return weightAt(m.last(u), now) }

// weightAt is how much work last done at last counts at now.
func weightAt(last, now time.Time) float64 {
	if last.IsZero() {
		return 0.1
	}
	age := max(now.Sub(last), 0)
	return math.Exp2(-float64(age) / float64(HalfLife))
}

// Person returns the person with the given ID, e-mail or name
// (case-insensitive), and whether there is one.
func (m *Model) Person(ref string) (Person, bool) {
	if i, ok := m.persIdx[ref]; ok {
		return m.people[i], true
	}
	if i, ok := m.emailIdx[strings.ToLower(ref)]; ok {
		return m.people[i], true
	}
	for _, p := range m.people {
		if strings.EqualFold(p.Name, ref) {
			return p, true
		}
	}
	return Person{}, false
}

// Stats describes a model's size.
type Stats struct {
	Projects     int `json:"projects"`
	People       int `json:"people"`
	Technologies int `json:"technologies"`
	// Uses is the number of (person, technology) pairs.
	Uses int `json:"uses"`
}

// Stats returns the model's size.
func (m *Model) Stats() Stats {
	s := Stats{Projects: len(m.projects), People: len(m.people), Technologies: len(m.techs)}
	for _, u := range m.uses {
		s.Uses += len(u)
	}
	return s
}
