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
	p := m.people[pi]
	r := Recommendations{Person: p, Teams: slices.Clip(m.teams[pi]), At: o.Now,
		Recommenders: map[string]string{"technologies": o.Technologies, "projects": o.Projects},
		Technologies: []Item{}, Upgrades: []Item{}, Projects: []Item{}, People: []Item{}, Resources: []Item{}}
	if r.Teams == nil {
		r.Teams = []string{}
	}
	optOut := o.OptOuts
	if optOut[p.ID].Recommendations {
		r.OptedOut = true
		return r, nil
	}
	techs := m.rankTechs(o.Technologies, pi, o.Now, o.Limit)
	for _, s := range techs {
		t := m.techs[s.idx]
		r.Technologies = append(r.Technologies, Item{Kind: KindTechnology, ID: t.ID, Name: t.Name, Score: round(s.score), Why: m.techWhy(pi, s)})
	}
	r.Upgrades = m.upgradesFor(pi, o.Now, o.Limit)
	for _, s := range m.rankProjects(o.Projects, pi, o.Now, o.Limit, true) {
		pr := m.projects[s.idx]
		it := Item{Kind: KindProject, ID: strconv.FormatInt(pr.ID, 10), Name: pr.Name,
			Score: round(s.score), Why: m.projectWhy(pi, s.idx)}
		if len(pr.HelpWanted) > 0 {
			h := pr.HelpWanted[0]
			it.HelpWanted = &h
		}
		r.Projects = append(r.Projects, it)
	}
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
	r.People = m.peopleFor(pi, targets, optOut, o.Now, peopleLimit)
	r.Resources = m.resourcesFor(pi, techs, r.Upgrades, o.Now, o.Limit)
	return r, nil
}

func round(f float64) float64 { return math.Round(f*1000) / 1000 }

// upgradesFor lists the upgrades of the projects person pi worked on in
// the last year (or, failing those, their last project), vulnerable first.
func (m *Model) upgradesFor(pi int32, now time.Time, limit int) []Item {
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
	var ups []Upgrade
	for _, pj := range mine {
		ups = append(ups, m.upgrades[m.projects[pj].ID]...)
	}
	slices.SortStableFunc(ups, func(a, b Upgrade) int {
		return cmp.Or(cmp.Compare(reasonRank(a.Reason), reasonRank(b.Reason)),
			catalog.SeverityRank(b.Worst)-catalog.SeverityRank(a.Worst),
			strings.Compare(a.Project, b.Project), strings.Compare(a.Package, b.Package))
	})
	out := []Item{}
	for _, u := range ups {
		if len(out) == limit {
			break
		}
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

// peopleFor finds the people who know the target technologies best (by
// authorship of the code of the projects using them, decayed by age),
// mentors on another team first at equal evidence, leaving out person pi,
// their team-mates when others know as much, and everybody who opted out.
func (m *Model) peopleFor(pi int32, targets []int32, optOut map[string]catalog.OptOut, now time.Time, limit int) []Item {
	type cand struct {
		score   float64
		best    float64
		project int32
		tech    int32
		share   float64
		last    time.Time
		who     int32
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
					c = &cand{who: who}
					byPerson[who] = c
				}
				c.score += w
				if w > c.best {
					c.best, c.project, c.tech, c.share, c.last = w, pj, t, a.Share, a.LastChange
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
	out := []Item{}
	for _, c := range cands {
		if len(out) == limit {
			break
		}
		p := m.people[c.who]
		mentor := !m.sameTeam(pi, c.who)
		why := fmt.Sprintf("wrote %d%% of %s's code (last change %s), which uses %s",
			int(c.share*100+0.5), m.projects[c.project].Name, dateOr(c.last), m.techs[c.tech].Name)
		if m.knows(pi, c.tech) {
			why += ", a technology you are adopting"
		} else {
			why += ", recommended to you"
		}
		if mentor && len(m.teams[c.who]) > 0 {
			why += "; on another team (" + strings.Join(m.teams[c.who], ", ") + "): a mentor"
		}
		out = append(out, Item{Kind: KindPerson, ID: p.ID, Name: p.Name, Email: p.Email, Teams: m.teams[c.who],
			Mentor: mentor, Score: round(c.score), Why: why})
	}
	return out
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
