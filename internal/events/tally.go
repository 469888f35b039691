package events

import (
	"sort"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
)

// Caps limit the points verified events earn, so that volume does not pay:
// a person earns at most DailyCap points a day and ProjectCap points in one
// project from git and forge events. Approved manual events are not capped
// (the OSPO has looked at each one).
type Caps struct {
	DailyCap   int `json:"daily_cap"`
	ProjectCap int `json:"project_cap"`
}

// DefaultCaps are the caps unless configured otherwise.
var DefaultCaps = Caps{DailyCap: 30, ProjectCap: 150}

// Award is one event with the points it earned after the caps.
type Award struct {
	catalog.Event
	Awarded int `json:"awarded"`
	// Capped names the cap that cut the points ("daily", "project"), if any.
	Capped string `json:"capped,omitempty"`
}

// Level is a named step of points.
type Level struct {
	Name string `json:"name"`
	// Min is the fewest points of the level.
	Min int `json:"min"`
}

// Levels are the levels, lowest first.
var Levels = []Level{{"Newcomer", 0}, {"Contributor", 25}, {"Collaborator", 100}, {"Champion", 250}, {"Luminary", 500}}

// LevelOf returns the level of a number of points.
func LevelOf(points int) Level {
	l := Levels[0]
	for _, x := range Levels {
		if points >= x.Min {
			l = x
		}
	}
	return l
}

// Standing is one person's points, level and badges.
type Standing struct {
	// Person is the person ID, or the e-mail of an identity not merged
	// into a person.
	Person string   `json:"person"`
	Points int      `json:"points"`
	Level  Level    `json:"level"`
	Badges []Earned `json:"badges"`
	Awards []Award  `json:"events"`
}

// personOf is who an event credits.
func personOf(e catalog.Event) string {
	if e.PersonID != "" {
		return e.PersonID
	}
	return e.Email
}

// Tally computes every person's standing from evs, applying caps in the
// order of the events (time, then ID), so the same set of events always
// gives the same standings whatever order it comes in. Standings are
// ordered by points, most first, then by person.
func Tally(evs []catalog.Event, caps Caps) []Standing {
	sorted := append([]catalog.Event(nil), evs...)
	sortEvents(sorted)
	byPerson := map[string]*Standing{}
	var order []string
	c := newCapper(caps)
	for _, e := range sorted {
		who := personOf(e)
		if who == "" {
			continue
		}
		s := byPerson[who]
		if s == nil {
			s = &Standing{Person: who}
			byPerson[who] = s
			order = append(order, who)
		}
		a := c.award(who, e)
		s.Points += a.Awarded
		s.Awards = append(s.Awards, a)
	}
	out := make([]Standing, 0, len(order))
	for _, who := range order {
		s := byPerson[who]
		s.Level = LevelOf(s.Points)
		s.Badges = earn(s.Awards)
		out = append(out, *s)
	}
	sortStandings(out)
	return out
}

// sortEvents orders evs by time, then ID: the order in which the caps
// apply.
func sortEvents(evs []catalog.Event) {
	sort.Slice(evs, func(i, j int) bool {
		if !evs[i].At.Equal(evs[j].At) {
			return evs[i].At.Before(evs[j].At)
		}
		return evs[i].ID < evs[j].ID
	})
}

// sortStandings orders standings by points, most first, then by person.
func sortStandings(ss []Standing) {
	sort.SliceStable(ss, func(i, j int) bool {
		if ss[i].Points != ss[j].Points {
			return ss[i].Points > ss[j].Points
		}
		return ss[i].Person < ss[j].Person
	})
}

// capper applies the caps to events given in the order of sortEvents. The
// caps are per person, so one person's points depend on their own events
// only (which lets Ledger re-tally one person alone).
type capper struct {
	caps       Caps
	perDay     map[[2]string]int
	perProject map[[2]string]int
}

func newCapper(caps Caps) *capper {
	return &capper{caps: caps, perDay: map[[2]string]int{}, perProject: map[[2]string]int{}}
}

// award returns what e, credited to who, earns after the caps.
func (c *capper) award(who string, e catalog.Event) Award {
	a := Award{Event: e, Awarded: e.Points}
	if e.Source == catalog.EventManual {
		return a
	}
	dk := [2]string{who, day(e.At)}
	if left := c.caps.DailyCap - c.perDay[dk]; c.caps.DailyCap > 0 && a.Awarded > left {
		a.Awarded, a.Capped = max(left, 0), "daily"
	}
	if e.ProjectKey != "" {
		pk := [2]string{who, e.ProjectKey}
		if left := c.caps.ProjectCap - c.perProject[pk]; c.caps.ProjectCap > 0 && a.Awarded > left {
			a.Awarded, a.Capped = max(left, 0), "project"
		}
		c.perProject[pk] += a.Awarded
	}
	c.perDay[dk] += a.Awarded
	return a
}

// Badge is a badge with its published criteria.
type Badge struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	// Criteria says in words what earns it; Kinds, Count and Projects say
	// it as data: at least Count events of the kinds, in at least Projects
	// distinct projects. A badge without Kinds is issued by hand only.
	Criteria string   `json:"criteria"`
	Kinds    []string `json:"kinds,omitempty"`
	Count    int      `json:"count,omitempty"`
	Projects int      `json:"projects,omitempty"`
}

// Badges are the badges, with their criteria.
var Badges = []Badge{
	{ID: "first-steps", Name: "First Steps", Description: "Made a first contribution to a project.",
		Criteria: "At least one first_contribution event.", Kinds: []string{KindFirstContribution}, Count: 1},
	{ID: "bridge-builder", Name: "Bridge Builder", Description: "Contributes to other teams' InnerSource projects.",
		Criteria: "At least 3 cross_team_contribution events (3 days of work merged into InnerSource projects of other teams).",
		Kinds:    []string{KindCrossTeam}, Count: 3},
	{ID: "ambassador", Name: "InnerSource Ambassador", Description: "Contributed to many teams' InnerSource projects.",
		Criteria: "cross_team_contribution events in at least 3 different projects.", Kinds: []string{KindCrossTeam}, Count: 3, Projects: 3},
	{ID: "vulnerability-fixer", Name: "Vulnerability Fixer", Description: "Moved a dependency past a known vulnerability.",
		Criteria: "At least one vulnerability_fixed event.", Kinds: []string{KindVulnFixed}, Count: 1},
	{ID: "guardian", Name: "Guardian", Description: "Gave a project its licence or its security policy.",
		Criteria: "At least one license_added or security_policy_added event.", Kinds: []string{KindLicenseAdded, KindSecurityPolicyAdded}, Count: 1},
	{ID: "documentarian", Name: "Documentarian", Description: "Writes the documentation others read.",
		Criteria: "At least 3 documentation_added events.", Kinds: []string{KindDocs}, Count: 3},
	{ID: "quality-raiser", Name: "Quality Raiser", Description: "Raised a project's scorecard by a full point.",
		Criteria: "At least one scorecard_raised event.", Kinds: []string{KindScoreRaised}, Count: 1},
	{ID: "reviewer", Name: "Reviewer", Description: "Reviews other teams' changes.",
		Criteria: "At least 5 review events (from a forge source).", Kinds: []string{KindReview}, Count: 5},
	{ID: "upstream", Name: "Upstream Contributor", Description: "Had a contribution merged into an external open source project.",
		Criteria: "At least one upstream_contribution event.", Kinds: []string{KindUpstream}, Count: 1},
	{ID: "speaker", Name: "Speaker", Description: "Gave a talk.", Criteria: "At least one approved talk.", Kinds: []string{KindTalk}, Count: 1},
	{ID: "hacker", Name: "Hackathon Hero", Description: "Took part in a hackathon.", Criteria: "At least one approved hackathon.", Kinds: []string{KindHackathon}, Count: 1},
	{ID: "mentor", Name: "Mentor", Description: "Mentored contributors.", Criteria: "At least one approved mentoring event.", Kinds: []string{KindMentoring}, Count: 1},
	{ID: "writer", Name: "Writer", Description: "Wrote about our work.", Criteria: "At least one approved blog post.", Kinds: []string{KindBlogPost}, Count: 1},
	{ID: "community-hero", Name: "Community Hero", Description: "Recognised by the OSPO for an outstanding contribution to the community.",
		Criteria: "Issued by hand with evidence, approved by a second OSPO member."},
}

// BadgeByID returns the badge with id, or false.
func BadgeByID(id string) (Badge, bool) {
	for _, b := range Badges {
		if b.ID == id {
			return b, true
		}
	}
	return Badge{}, false
}

// Earned is a badge a person holds, with the events that earned it.
type Earned struct {
	Badge
	// At is when the criteria were first met (the last event needed).
	At       time.Time       `json:"at"`
	Evidence []catalog.Event `json:"evidence"`
}

// earn returns the badges the awards (in time order) earn. Events count
// towards badges whether or not caps cut their points: a badge says what
// was done, points say how much.
func earn(awards []Award) []Earned {
	var out []Earned
	for _, b := range Badges {
		var evidence []catalog.Event
		projects := map[string]bool{}
		met := false
		for _, a := range awards {
			if a.Kind == KindBadge && badgeOf(a.Event) == b.ID {
				evidence = append(evidence, a.Event)
				met = true
				break
			}
			if !contains(b.Kinds, a.Kind) {
				continue
			}
			evidence = append(evidence, a.Event)
			projects[a.ProjectKey] = true
			if len(b.Kinds) > 0 && len(evidence) >= b.Count && len(projects) >= b.Projects {
				met = true
				break
			}
		}
		if met {
			out = append(out, Earned{Badge: b, At: evidence[len(evidence)-1].At, Evidence: evidence})
		}
	}
	return out
}

// badgeOf returns the badge a KindBadge event issues (its "badge" evidence).
func badgeOf(e catalog.Event) string {
	for _, ev := range e.Evidence {
		if ev.Kind == "badge" {
			return ev.Value
		}
	}
	return ""
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// BoardEntry is one line of a leaderboard.
type BoardEntry struct {
	// Name is the team's name, or the person.
	Name   string `json:"name"`
	Points int    `json:"points"`
	// People is how many people earned the points (teams only).
	People int    `json:"people,omitempty"`
	Level  string `json:"level,omitempty"`
}

// TeamBoard sums the standings by team: teamsOf gives a standing's
// person's teams (a person in two teams counts for both); people in no
// team are left out. Most points first, then by name.
func TeamBoard(ss []Standing, teamsOf func(person string) []string) []BoardEntry {
	sum := map[string]*BoardEntry{}
	for _, s := range ss {
		for _, t := range teamsOf(s.Person) {
			e := sum[t]
			if e == nil {
				e = &BoardEntry{Name: t}
				sum[t] = e
			}
			e.Points += s.Points
			e.People++
		}
	}
	out := make([]BoardEntry, 0, len(sum))
	for _, e := range sum {
		out = append(out, *e)
	}
	sortBoard(out)
	return out
}

// PeopleBoard is the individual leaderboard: only the people for whom
// optedIn is true appear (individual rankings are by consent).
func PeopleBoard(ss []Standing, optedIn func(person string) bool, name func(person string) string) []BoardEntry {
	out := []BoardEntry{}
	for _, s := range ss {
		if optedIn(s.Person) {
			out = append(out, BoardEntry{Name: name(s.Person), Points: s.Points, Level: s.Level.Name})
		}
	}
	sortBoard(out)
	return out
}

func sortBoard(b []BoardEntry) {
	sort.Slice(b, func(i, j int) bool {
		if b[i].Points != b[j].Points {
			return b[i].Points > b[j].Points
		}
		return b[i].Name < b[j].Name
	})
}

// Leaderboard is the team board and the board of the people who consented.
type Leaderboard struct {
	Teams  []BoardEntry `json:"teams"`
	People []BoardEntry `json:"people"`
}

// Board builds the leaderboards from every event, the people (to merge a
// person's e-mails and name them), the team memberships and the e-mails
// that consented to individual boards (a person consents through any of
// their e-mails).
func Board(evs []catalog.Event, people []catalog.Person, ms []catalog.Membership, optins []string, caps Caps) Leaderboard {
	return BoardOf(Tally(evs, caps), people, ms, optins)
}

// BoardOf is Board from the standings already tallied (only their Person,
// Points and Level are read; Ledger.Standings gives them).
func BoardOf(ss []Standing, people []catalog.Person, ms []catalog.Membership, optins []string) Leaderboard {
	emails := map[string][]string{} // person -> e-mails
	names := map[string]string{}
	for _, p := range people {
		names[p.ID] = p.Name
		emails[p.ID] = append(emails[p.ID], lower(p.Email))
		for _, id := range p.Identities {
			emails[p.ID] = append(emails[p.ID], lower(id.Email))
		}
	}
	teamsOf := map[string][]string{}
	for _, m := range ms {
		e := lower(m.Email)
		teamsOf[e] = append(teamsOf[e], m.Team)
	}
	consent := map[string]bool{}
	for _, e := range optins {
		consent[lower(e)] = true
	}
	mailsOf := func(who string) []string {
		if es, ok := emails[who]; ok {
			return es
		}
		return []string{who}
	}
	return Leaderboard{
		Teams: TeamBoard(ss, func(who string) []string {
			seen := map[string]bool{}
			var out []string
			for _, e := range mailsOf(who) {
				for _, t := range teamsOf[e] {
					if !seen[t] {
						seen[t] = true
						out = append(out, t)
					}
				}
			}
			return out
		}),
		People: PeopleBoard(ss, func(who string) bool {
			for _, e := range mailsOf(who) {
				if consent[e] {
					return true
				}
			}
			return false
		}, func(who string) string {
			if n := names[who]; n != "" {
				return n
			}
			return who
		}),
	}
}

// PersonStanding tallies the events of one person (all of their e-mails'
// events, as one standing under person).
func PersonStanding(person string, evs []catalog.Event, caps Caps) Standing {
	mine := make([]catalog.Event, len(evs))
	for i, e := range evs {
		e.PersonID = person
		mine[i] = e
	}
	s := Standing{Person: person, Level: LevelOf(0), Badges: []Earned{}, Awards: []Award{}}
	if ss := Tally(mine, caps); len(ss) == 1 {
		s = ss[0]
	}
	if s.Badges == nil {
		s.Badges = []Earned{}
	}
	return s
}
