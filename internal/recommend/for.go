package recommend

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
)

// ErrUnknownPerson is returned (wrapped, with the reference) by For when
// no person of the model matches. It is a catalog.ErrNotFound.
var ErrUnknownPerson = catalog.Kind("unknown person", catalog.ErrNotFound)

// ErrUnknownProject is returned (wrapped) by Similar when the project is
// not in the model. It is a catalog.ErrNotFound.
var ErrUnknownProject = catalog.Kind("unknown project", catalog.ErrNotFound)

// Item is one recommendation with its explanation.
type Item struct {
	// Kind is technology, upgrade, project, person or resource.
	Kind string `json:"kind"`
	// ID is the technology's ID, the project's ID (decimal), the person's
	// ID, or the resource's URL.
	ID    string  `json:"id"`
	Name  string  `json:"name"`
	Score float64 `json:"score"`
	// Why is the explanation, a sentence for a person to read.
	Why string `json:"why"`
	// URL is a resource's address.
	URL string `json:"url,omitempty"`
	// Email and Teams are a person's; Mentor marks a person on another
	// team than the recipient's.
	Email  string   `json:"email,omitempty"`
	Teams  []string `json:"teams,omitempty"`
	Mentor bool     `json:"mentor,omitempty"`
	// Level and ResourceKind are a resource's.
	Level        string `json:"level,omitempty"`
	ResourceKind string `json:"resource_kind,omitempty"`
	// Upgrade is an upgrade's detail.
	Upgrade *Upgrade `json:"upgrade,omitempty"`
	// HelpWanted is, for a project asking for help, the issue named in
	// the explanation.
	HelpWanted *HelpIssue `json:"help_wanted,omitempty"`
}

// Item kinds.
const (
	KindTechnology = "technology"
	KindUpgrade    = "upgrade"
	KindProject    = "project"
	KindPerson     = "person"
	KindResource   = "resource"
)

// Recommendations are everything recommended to one person.
type Recommendations struct {
	Person Person `json:"person"`
	// Teams are the person's teams as the model knows them (stated, or
	// inferred from the owners of the project they committed most to).
	Teams []string `json:"teams"`
	// OptedOut reports that the person asked for no recommendations: the
	// lists are then empty.
	OptedOut     bool   `json:"opted_out,omitempty"`
	Technologies []Item `json:"technologies"`
	Upgrades     []Item `json:"upgrades"`
	Projects     []Item `json:"projects"`
	People       []Item `json:"people"`
	Resources    []Item `json:"resources"`
	// Recommenders name the recommenders used for technologies and projects.
	Recommenders map[string]string `json:"recommenders"`
	// At is the time the recommendations are for.
	At time.Time `json:"at"`
}

// Options tune For. The zero value gives up to 10 items per list, by the
// default recommenders, at the model's build time.
type Options struct {
	Limit int
	// Technologies and Projects name the recommenders (see
	// TechnologyRecommenders and ProjectRecommenders); "" is the default.
	Technologies, Projects string
	Now                    time.Time
	// OptOuts, when not nil, are the opt-outs to honour instead of the
	// model's (which are as old as the model).
	OptOuts map[string]catalog.OptOut
}

// DefaultTechnologies and DefaultProjects are the recommenders For uses
// unless told otherwise: those that beat the popularity baseline in the
// offline evaluation (docs/recommendations.md).
const (
	DefaultTechnologies = TechCF
	DefaultProjects     = ProjectHybrid
)

// adopting is how recent a person's first use of a technology must be for
// them to be adopting it.
const adopting = 180 * 24 * time.Hour

// authorsPerProject caps the authors of each project read to find the
// people to meet, projectsPerTarget the projects read for each technology
// (the most recently active), and adoptingTargets the technologies being
// adopted that are looked at (the rarest): a language or a package every
// project uses would otherwise mean reading the authors of thousands of
// projects for one person.
const (
	authorsPerProject = 10
	projectsPerTarget = 200
	adoptingTargets   = 3
)

// For recommends to the person ref (an ID, an e-mail or a name) technologies,
// upgrades, projects, people to meet and resources, each with its
// explanation. It returns an error wrapping ErrUnknownPerson when nobody
// matches, and one wrapping catalog.ErrInvalid for an unknown recommender
// or a negative limit.
func (m *Model) For(ref string, o Options) (Recommendations, error) {
	if o.Limit < 0 {
		return Recommendations{}, catalog.Kind("limit must not be negative", catalog.ErrInvalid)
	}
	if o.Limit == 0 {
		o.Limit = 10
	}
	o.Technologies = cmp.Or(o.Technologies, DefaultTechnologies)
	o.Projects = cmp.Or(o.Projects, DefaultProjects)
	if !slices.Contains(TechnologyRecommenders, o.Technologies) {
		return Recommendations{}, fmt.Errorf("%w: unknown technology recommender %q (want one of %s)",
			catalog.ErrInvalid, o.Technologies, strings.Join(TechnologyRecommenders, ", "))
	}
	if !slices.Contains(ProjectRecommenders, o.Projects) {
		return Recommendations{}, fmt.Errorf("%w: unknown project recommender %q (want one of %s)",
			catalog.ErrInvalid, o.Projects, strings.Join(ProjectRecommenders, ", "))
	}
	if o.Now.IsZero() {
		o.Now = m.built
	}
	p, ok := m.Person(ref)
	if !ok {
		return Recommendations{}, fmt.Errorf("%w %q", ErrUnknownPerson, ref)
	}
	if o.OptOuts == nil {
		o.OptOuts = m.optOut
	}
	return m.forPerson(m.persIdx[p.ID], o, o.Limit)
}

// forPerson is For for person pi with o checked and complete (OptOuts
// set), listing at most peopleLimit people to meet.
func (m *Model) forPerson(pi int32, o Options, peopleLimit int) (Recommendations, error) {
	r := m.header(pi, o)
	if o.OptOuts[r.Person.ID].Recommendations {
		r.OptedOut = true
		return r, nil
	}
	rk := m.rank(pi, o, peopleLimit)
	m.render(&r, pi, rk, o.Now, o.Limit, o.Limit, rk.people)
	return r, nil
}

// header is person pi's Recommendations with empty lists.
func (m *Model) header(pi int32, o Options) Recommendations {
	r := Recommendations{Person: m.people[pi], Teams: slices.Clip(m.teams[pi]), At: o.Now,
		Recommenders: map[string]string{"technologies": o.Technologies, "projects": o.Projects},
		Technologies: []Item{}, Upgrades: []Item{}, Projects: []Item{}, People: []Item{}, Resources: []Item{}}
	if r.Teams == nil {
		r.Teams = []string{}
	}
	return r
}

// ranked is what is recommended to a person before it is put in words:
// indices and scores, a few bytes an item (see render).
type ranked struct {
	techs    []scored   // technologies, best first
	upgrades []*Upgrade // into Model.upgrades, in order
	projects []scored   // projects, best first
	people   []expert   // people to meet, best first
}

// rank ranks what person pi is recommended by o, at most o.Limit items a
// list and peopleLimit people to meet.
func (m *Model) rank(pi int32, o Options, peopleLimit int) ranked {
	// Copies of the kept items: the rankers return the first k of all
	// their candidates (thousands of projects on a large estate), and an
	// answer kept would keep them all.
	techs := slices.Clone(m.rankTechs(o.Technologies, pi, o.Now, o.Limit))
	rk := ranked{techs: techs, upgrades: m.upgradesFor(pi, o.Now, o.Limit),
		projects: slices.Clone(m.rankProjects(o.Projects, pi, o.Now, o.Limit, true))}
	// The technologies the person is adopting, and the first ones
	// recommended, are those they would ask someone about.
	var targets []int32
	for _, u := range m.uses[pi] {
		if !m.first(u).IsZero() && o.Now.Sub(m.first(u)) < adopting && m.idf[u.tech] > 0 {
			targets = append(targets, u.tech)
		}
	}
	slices.SortFunc(targets, func(a, b int32) int { return cmp.Or(cmp.Compare(m.idf[b], m.idf[a]), cmp.Compare(a, b)) })
	targets = targets[:min(len(targets), adoptingTargets)]
	for i, s := range techs {
		if i == 3 {
			break
		}
		targets = append(targets, s.idx)
	}
	rk.people = m.peopleFor(pi, targets, o.OptOuts, o.Now, peopleLimit)
	return rk
}

// render puts rk, ranked with at most rankLimit items a list, in words
// into r: at most limit items a list (the first ones) and people as the
// people to meet. The resources are matched to all of rk's technologies
// and upgrades, as many as rankLimit, and the first limit of them kept.
func (m *Model) render(r *Recommendations, pi int32, rk ranked, now time.Time, rankLimit, limit int, people []expert) {
	for _, s := range rk.techs[:min(len(rk.techs), limit)] {
		t := m.techs[s.idx]
		r.Technologies = append(r.Technologies, Item{Kind: KindTechnology, ID: t.ID, Name: t.Name, Score: round(s.score), Why: m.techWhy(pi, s)})
	}
	upgrades := m.upgradeItems(rk.upgrades)
	r.Upgrades = upgrades[:min(len(upgrades), limit)]
	for _, s := range rk.projects[:min(len(rk.projects), limit)] {
		pr := m.projects[s.idx]
		it := Item{Kind: KindProject, ID: strconv.FormatInt(pr.ID, 10), Name: pr.Name,
			Score: round(s.score), Why: m.projectWhy(pi, s.idx)}
		if len(pr.HelpWanted) > 0 {
			h := pr.HelpWanted[0]
			it.HelpWanted = &h
		}
		r.Projects = append(r.Projects, it)
	}
	for _, e := range people {
		r.People = append(r.People, m.expertItem(pi, e))
	}
	res := m.resourcesFor(pi, rk.techs, upgrades, now, rankLimit)
	r.Resources = res[:min(len(res), limit)]
}

func round(f float64) float64 { return math.Round(f*1000) / 1000 }

// upgradesFor lists the upgrades of the projects person pi worked on in
// the last year (or, failing those, their last project), vulnerable
// first, at most limit.
func (m *Model) upgradesFor(pi int32, now time.Time, limit int) []*Upgrade {
	var mine []int32
	var latest int32 = -1
	var latestAt time.Time
	for _, pj := range m.personProjs[pi] {
		c := m.contribution(pj, pi)
		if now.Sub(c.LastCommit) < HalfLife {
			mine = append(mine, pj)
		}
		if latest < 0 || c.LastCommit.After(latestAt) {
			latest, latestAt = pj, c.LastCommit
		}
	}
	if len(mine) == 0 && latest >= 0 {
		mine = []int32{latest}
	}
	var ups []*Upgrade
	for _, pj := range mine {
		us := m.upgrades[m.projects[pj].ID]
		for i := range us {
			ups = append(ups, &us[i])
		}
	}
	slices.SortStableFunc(ups, func(a, b *Upgrade) int {
		return cmp.Or(cmp.Compare(reasonRank(a.Reason), reasonRank(b.Reason)),
			catalog.SeverityRank(b.Worst)-catalog.SeverityRank(a.Worst),
			strings.Compare(a.Project, b.Project), strings.Compare(a.Package, b.Package))
	})
	return slices.Clone(ups[:min(len(ups), limit)])
}

// upgradeItems puts upgrades in words.
func (m *Model) upgradeItems(ups []*Upgrade) []Item {
	out := []Item{}
	for _, up := range ups {
		u := *up
		why := fmt.Sprintf("%s runs %s %s", u.Project, u.Package, u.Version)
		if u.Detail != "" {
			why += ": " + u.Detail
		}
		if u.To != "" {
			why += "; move to " + u.To
		}
		score := 1.0
		if u.Reason == ReasonVulnerable {
			score = 2 + float64(catalog.SeverityRank(u.Worst))
		}
		out = append(out, Item{Kind: KindUpgrade, ID: u.TechID, Name: u.Package, Score: score, Why: why, Upgrade: &u})
	}
	return out
}

func reasonRank(r string) int {
	if r == ReasonVulnerable {
		return 0
	}
	return 1
}

// expert is a person to meet, before it is put in words: who, their
// score, and the evidence that weighed most (an author of a project
// using a technology).
type expert struct {
	who, project, tech int32
	author             int32 // in the project's Authors; -1 when no evidence weighed
	score              float64
}

// peopleFor finds the people who know the target technologies best (by
// authorship of the code of the projects using them, decayed by age),
// mentors on another team first at equal evidence, leaving out person pi,
// their team-mates when others know as much, and everybody who opted out.
func (m *Model) peopleFor(pi int32, targets []int32, optOut map[string]catalog.OptOut, now time.Time, limit int) []expert {
	type cand struct {
		expert
		best float64
	}
	byPerson := map[int32]*cand{}
	seenTech := map[int32]bool{}
	for _, t := range targets {
		if seenTech[t] {
			continue
		}
		seenTech[t] = true
		for k, pj := range m.techProjects[t] {
			if k == projectsPerTarget {
				break
			}
			for i, a := range m.projects[pj].Authors {
				if i == authorsPerProject {
					break
				}
				who, ok := m.persIdx[a.PersonID]
				if !ok || who == pi {
					continue
				}
				o := optOut[a.PersonID]
				if o.Experts || o.Recommendations {
					continue
				}
				age := max(now.Sub(a.LastChange), 0)
				if a.LastChange.IsZero() {
					age = 10 * HalfLife
				}
				w := a.Share * math.Exp2(-float64(age)/float64(HalfLife)) * m.idf[t]
				c := byPerson[who]
				if c == nil {
					c = &cand{expert: expert{who: who, author: -1}}
					byPerson[who] = c
				}
				c.score += w
				if w > c.best {
					c.best, c.project, c.tech, c.author = w, pj, t, int32(i)
				}
			}
		}
	}
	cands := make([]*cand, 0, len(byPerson))
	for _, c := range byPerson {
		if !m.sameTeam(pi, c.who) {
			c.score *= 1.5 // a mentor on another team spreads knowledge further
		}
		cands = append(cands, c)
	}
	slices.SortFunc(cands, func(a, b *cand) int {
		return cmp.Or(cmp.Compare(b.score, a.score), strings.Compare(m.people[a.who].ID, m.people[b.who].ID))
	})
	out := make([]expert, 0, min(len(cands), limit))
	for _, c := range cands[:min(len(cands), limit)] {
		out = append(out, c.expert)
	}
	return out
}

// expertItem puts person e, to be met by person pi, in words.
func (m *Model) expertItem(pi int32, e expert) Item {
	p := m.people[e.who]
	var a catalog.Author // no share, no date when nothing weighed
	if e.author >= 0 {
		a = m.projects[e.project].Authors[e.author]
	}
	mentor := !m.sameTeam(pi, e.who)
	why := fmt.Sprintf("wrote %d%% of %s's code (last change %s), which uses %s",
		int(a.Share*100+0.5), m.projects[e.project].Name, dateOr(a.LastChange), m.techs[e.tech].Name)
	if m.knows(pi, e.tech) {
		why += ", a technology you are adopting"
	} else {
		why += ", recommended to you"
	}
	if mentor && len(m.teams[e.who]) > 0 {
		why += "; on another team (" + strings.Join(m.teams[e.who], ", ") + "): a mentor"
	}
	return Item{Kind: KindPerson, ID: p.ID, Name: p.Name, Email: p.Email, Teams: m.teams[e.who],
		Mentor: mentor, Score: round(e.score), Why: why}
}

func dateOr(t time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	return t.Format("2006-01-02")
}

// resourcesFor matches the resource catalogue to person pi: secure-usage
// material for the technologies their projects run vulnerable versions of
// first, then material on the technologies recommended to them (their
// gaps), on those they are adopting, and on those they use.
func (m *Model) resourcesFor(pi int32, techs []scored, upgrades []Item, now time.Time, limit int) []Item {
	vulnerable := map[int32]string{}
	for _, u := range upgrades {
		if u.Upgrade.Reason == ReasonVulnerable {
			if t, ok := m.techIdx[u.Upgrade.TechID]; ok {
				if _, seen := vulnerable[t]; !seen {
					vulnerable[t] = u.Upgrade.Project
				}
			}
		}
	}
	gap := map[int32]float64{} // the recommended technologies, by strength relative to the first
	for _, s := range techs {
		if techs[0].score > 0 {
			gap[s.idx] = s.score / techs[0].score
		}
	}
	type match struct {
		score float64
		why   string
		res   int
	}
	var ms []match
	for ri, r := range m.resources {
		best := match{res: ri}
		security := slices.Contains(r.Topics, "security")
		for _, t := range m.resTechs[ri] {
			name := m.techs[t].Name
			var s float64
			var why string
			switch proj, vul := vulnerable[t]; {
			case vul && security:
				s, why = 4, fmt.Sprintf("%s runs a vulnerable version of %s: secure-usage material", proj, name)
			case vul:
				s, why = 3, fmt.Sprintf("%s runs a vulnerable version of %s", proj, name)
			case gap[t] > 0:
				s, why = 2+gap[t]/2, fmt.Sprintf("%s is recommended to you", name)
				if r.Level == "beginner" || r.Level == "" {
					s += 0.25
				}
			default:
				i, ok := slices.BinarySearchFunc(m.uses[pi], t, func(u use, t int32) int { return cmp.Compare(u.tech, t) })
				if !ok {
					continue
				}
				u := m.uses[pi][i]
				if !m.first(u).IsZero() && now.Sub(m.first(u)) < adopting {
					s, why = 1.5, fmt.Sprintf("you started using %s on %s", name, dateOr(m.first(u)))
				} else {
					s, why = m.weight(u, now), fmt.Sprintf("you use %s", name)
					if r.Level == "advanced" || r.Level == "intermediate" {
						s += 0.25
					}
				}
			}
			if s > best.score {
				best.score, best.why = s, why
			}
		}
		if best.score > 0 {
			ms = append(ms, best)
		}
	}
	slices.SortStableFunc(ms, func(a, b match) int {
		return cmp.Or(cmp.Compare(b.score, a.score), strings.Compare(m.resources[a.res].Title, m.resources[b.res].Title))
	})
	out := []Item{}
	for _, x := range ms {
		if len(out) == limit {
			break
		}
		r := m.resources[x.res]
		out = append(out, Item{Kind: KindResource, ID: r.URL, Name: r.Title, URL: r.URL, Score: round(x.score),
			Why: "because " + x.why, Level: r.Level, ResourceKind: r.Kind})
	}
	return out
}
