// Package innersource provides the InnerSource marketplace: a card per
// InnerSource project of the catalogue (description, languages, owners,
// activity score, contributors from other teams) and the export of those
// cards as the repos.json that SAP's project portal for InnerSource reads
// (github.com/SAP/project-portal-for-innersource, docs/CRAWLING.md).
//
// It takes catalogue values in and gives values out: it reads no store.
package innersource

import (
	"math"
	"sort"
	"strings"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
)

// Window is how far back "recent" contributions from other teams are
// counted: the last 90 days.
const Window = 90 * 24 * time.Hour

// participationWeeks is the length of the portal's participation series:
// GitHub's stats/participation gives the last 52 weeks, oldest first.
const participationWeeks = 52

// Card is one project of the marketplace.
type Card struct {
	// ID is the catalogue's project ID.
	ID          int64    `json:"id"`
	Key         string   `json:"key"`
	Name        string   `json:"name"`
	Description string   `json:"description,omitempty"`
	URL         string   `json:"url,omitempty"`
	Languages   []string `json:"languages"`
	Topics      []string `json:"topics"`
	// Owners are the whole-project ownership claims (catalog-info owner,
	// innersource.json owners) followed by the CODEOWNERS owners, without
	// duplicates: the people to contact.
	Owners []string `json:"owners"`
	// Guidelines is the path of the contribution guidelines, if any.
	Guidelines string `json:"guidelines,omitempty"`
	// DefaultBranch and License (an SPDX expression) as scanned.
	DefaultBranch string `json:"default_branch,omitempty"`
	License       string `json:"license,omitempty"`
	Commits       int    `json:"commits"`
	// Contributors is the number of distinct identities that committed.
	Contributors int `json:"contributors"`
	// OtherTeamContributors is how many people who are not members of an
	// owning team committed in the Window before now; -1 when nobody's team
	// is known (no owner is a team or no membership is recorded).
	OtherTeamContributors int `json:"other_team_contributors"`
	// Participation is the commit count of each of the last 52 weeks,
	// oldest first, the last being the week that holds now.
	Participation []int     `json:"participation"`
	CreatedAt     time.Time `json:"created_at,omitzero"`
	UpdatedAt     time.Time `json:"updated_at,omitzero"`
	Score         int       `json:"score"`
}

// Teams tells which teams a person (by lower-cased e-mail) belongs to.
type Teams map[string][]string

// NewCard builds the card of p as of now. p must carry its contributors'
// weekly activity (a single-project read). teams may be nil.
func NewCard(p catalog.Project, teams Teams, now time.Time) Card {
	c := Card{
		ID: p.ID, Key: p.Key, Name: p.Name, Description: p.Description, URL: htmlURL(p.RemoteURL),
		Languages: []string{}, Topics: []string{}, Owners: owners(p.Owners),
		Commits: p.Commits, Contributors: len(p.Contributors),
		UpdatedAt: p.HeadDate.UTC(), DefaultBranch: p.DefaultBranch,
	}
	if p.License != nil {
		c.License = p.License.Expression
	}
	if p.Topics != nil {
		c.Topics = append(c.Topics, p.Topics...)
	}
	langs := append([]catalog.Language(nil), p.Languages...)
	sort.SliceStable(langs, func(i, j int) bool { return langs[i].Bytes > langs[j].Bytes })
	for _, l := range langs {
		c.Languages = append(c.Languages, l.Name)
	}
	for _, f := range p.Files {
		if f.Kind == catalog.FileContributing && (c.Guidelines == "" || f.Path < c.Guidelines) {
			c.Guidelines = f.Path
		}
	}
	for _, ct := range p.Contributors {
		if !ct.FirstCommit.IsZero() && (c.CreatedAt.IsZero() || ct.FirstCommit.Before(c.CreatedAt)) {
			c.CreatedAt = ct.FirstCommit.UTC()
		}
	}
	c.Participation = Participation(p.Contributors, now)
	c.OtherTeamContributors = OtherTeamContributors(p, teams, now)
	c.Score = Score(ScoreInputs{
		UpdatedAt: c.UpdatedAt, CreatedAt: c.CreatedAt, Participation: c.Participation,
		Description: c.Description, Guidelines: c.Guidelines != "",
	}, now)
	return c
}

// Participation sums the contributors' weekly commits into the 52 weeks
// ending with the week that holds now, oldest first.
func Participation(cs []catalog.Contribution, now time.Time) []int {
	out := make([]int, participationWeeks)
	last := catalog.WeekOf(now)
	for _, c := range cs {
		for _, w := range c.Weeks {
			ago := int(last.Sub(catalog.WeekOf(w.Week)).Hours() / (24 * 7))
			if ago >= 0 && ago < participationWeeks {
				out[participationWeeks-1-ago] += w.Commits
			}
		}
	}
	return out
}

// OtherTeamContributors counts the distinct e-mails that committed in the
// Window before now and are neither an owner claim themselves nor members
// of a team named by an owner claim ("@org/team", "group:team",
// "group:default/team" and "team" all name team "team", compared
// case-insensitively). It returns -1 when it cannot tell: no owner claim
// names a team, or teams knows nobody's team.
func OtherTeamContributors(p catalog.Project, teams Teams, now time.Time) int {
	owning, ownerEmails := Owning(p)
	if len(owning) == 0 || len(teams) == 0 {
		return -1
	}
	since := now.Add(-Window)
	seen := map[string]bool{}
	n := 0
	for _, c := range p.Contributors {
		email := strings.ToLower(c.Email)
		if seen[email] || ownerEmails[email] || !activeSince(c, since) {
			continue
		}
		seen[email] = true
		if !InTeam(teams[email], owning) {
			n++
		}
	}
	return n
}

// Owning returns the teams p's owner claims name (bare, lower-cased team
// names: "@org/team", "group:team", "group:default/team" and "team" all
// name "team") and the e-mails that are owner claims themselves.
func Owning(p catalog.Project) (teams, emails map[string]bool) {
	teams, emails = map[string]bool{}, map[string]bool{}
	for _, o := range p.Owners {
		v := strings.ToLower(strings.TrimSpace(o.Owner))
		if strings.Contains(v, "@") && !strings.HasPrefix(v, "@") {
			emails[v] = true
			continue
		}
		if t := teamName(v); t != "" {
			teams[t] = true
		}
	}
	return teams, emails
}

// InTeam reports whether any of memberOf (team names as memberships
// record them) is one of owning (as Owning returns them).
func InTeam(memberOf []string, owning map[string]bool) bool {
	for _, t := range memberOf {
		if owning[teamName(strings.ToLower(t))] {
			return true
		}
	}
	return false
}

// activeSince reports whether c committed at or after since, by its weeks
// when it has them, else by its last commit.
func activeSince(c catalog.Contribution, since time.Time) bool {
	if len(c.Weeks) == 0 {
		return !c.LastCommit.Before(since)
	}
	for _, w := range c.Weeks {
		if w.Commits > 0 && !w.Week.Before(catalog.WeekOf(since)) {
			return true
		}
	}
	return false
}

// teamName is the bare team of an owner claim or team name: what follows
// the last "/" or ":", without a leading "@". A claim naming a user
// ("user:jane") names no team.
func teamName(v string) string {
	if strings.HasPrefix(v, "user:") {
		return ""
	}
	if !strings.HasPrefix(v, "group:") && strings.HasPrefix(v, "@") && !strings.Contains(v, "/") {
		return "" // @user in CODEOWNERS
	}
	if i := strings.LastIndexAny(v, "/:"); i >= 0 {
		v = v[i+1:]
	}
	return strings.TrimPrefix(v, "@")
}

func owners(os []catalog.Owner) []string {
	out := []string{}
	seen := map[string]bool{}
	add := func(o string) {
		if o != "" && !seen[o] {
			seen[o] = true
			out = append(out, o)
		}
	}
	for _, o := range os {
		if o.Pattern == "" && o.Source != catalog.OwnerCodeowners {
			add(o.Owner)
		}
	}
	for _, o := range os {
		add(o.Owner)
	}
	return out
}

// htmlURL turns an origin remote into a browsable https URL; "" when it
// is not one (a local path).
func htmlURL(remote string) string {
	r := strings.TrimSuffix(remote, ".git")
	switch {
	case strings.HasPrefix(r, "https://"), strings.HasPrefix(r, "http://"):
		return r
	case strings.HasPrefix(r, "ssh://"):
		r = strings.TrimPrefix(r, "ssh://")
		if i := strings.Index(r, "@"); i >= 0 {
			r = r[i+1:]
		}
		return "https://" + r
	case strings.Contains(r, "@") && strings.Contains(r, ":"):
		r = r[strings.Index(r, "@")+1:]
		return "https://" + strings.Replace(r, ":", "/", 1)
	}
	return ""
}

// ScoreInputs are the facts the activity score reads.
type ScoreInputs struct {
	Forks, Watchers, Stars, OpenIssues int
	UpdatedAt, CreatedAt               time.Time
	Participation                      []int // weekly commits, oldest first
	Description, Motivation            string
	Guidelines                         bool
}

// Score is the Repository Activity Score of the InnerSource Commons
// pattern, as SAP's project portal for InnerSource uses it to order its
// projects: calculateScore in InnerSourceCommons/InnerSourcePatterns,
// patterns/2-structured/repository-activity-score.md (referenced from
// SAP/project-portal-for-innersource docs/CRAWLING.md):
//
//	s = 50 + 5·forks + watchers + stars/3 + open issues/5
//	s *= 1 + (100 − min(days since update, 100))/100
//	s *= 1 + min(max(average weekly commits of the last 13 weeks − 3, 0), 7)/7
//	s += (1000 − 2.74·min(days since update, 365)) · (365 − min(days since creation, 365))/365
//	s += 50 if the description or motivation is longer than 30 characters
//	s += 100 if there are contribution guidelines
//	s = 3000 + 100·ln(s) if s > 3000
//	score = round(s − 50)
//
// What ospo has: the participation (weekly commits of every contributor
// over the history), the last update (HEAD's committer date), the
// description and the guidelines (a CONTRIBUTING file). What it
// approximates: the creation date is the first commit. What it lacks
// without a forge: forks, watchers, stars and open issues are zero unless
// the caller sets them. Where the published JavaScript differs from its
// own comments (it slices the participation with an array minus 13, so it
// averages all 52 weeks over 13), Score follows the comments: the last 13
// weeks. Dates after now count as now; zero dates as long ago.
func Score(in ScoreInputs, now time.Time) int {
	s := 50 + float64(in.Forks)*5 + float64(in.Watchers) + float64(in.Stars)/3 + float64(in.OpenIssues)/5
	sinceUpdate := daysSince(in.UpdatedAt, now)
	s *= 1 + (100-math.Min(sinceUpdate, 100))/100
	if len(in.Participation) > 0 {
		recent := in.Participation[max(0, len(in.Participation)-13):]
		sum := 0
		for _, v := range recent {
			sum += v
		}
		avg := float64(sum) / 13
		s *= 1 + math.Min(math.Max(avg-3, 0), 7)/7
	}
	boost := 1000 - math.Min(sinceUpdate, 365)*2.74
	boost *= (365 - math.Min(daysSince(in.CreatedAt, now), 365)) / 365
	s += boost
	if len([]rune(in.Description)) > 30 || len([]rune(in.Motivation)) > 30 {
		s += 50
	}
	if in.Guidelines {
		s += 100
	}
	if s > 3000 {
		s = 3000 + math.Log(s)*100
	}
	return int(math.Round(s - 50))
}

// daysSince is the days from t to now, 0 for a t after now and a very
// large number for the zero time.
func daysSince(t, now time.Time) float64 {
	if t.IsZero() {
		return math.MaxInt32
	}
	d := now.Sub(t).Hours() / 24
	if d < 0 {
		return 0
	}
	return d
}

// Sort orders cards by score, highest first, then by name and key.
func Sort(cs []Card) {
	sort.SliceStable(cs, func(i, j int) bool {
		if cs[i].Score != cs[j].Score {
			return cs[i].Score > cs[j].Score
		}
		if cs[i].Name != cs[j].Name {
			return cs[i].Name < cs[j].Name
		}
		return cs[i].Key < cs[j].Key
	})
}

// Cards returns the cards of the InnerSource projects among ps (Kind
// catalog.KindInnerSource, as the scanner sets it) as of now, highest
// score first; an empty, non-nil slice when there are none. Each project
// must carry its contributors' weekly activity; ms are the recorded team
// memberships.
func Cards(ps []catalog.Project, ms []catalog.Membership, now time.Time) []Card {
	teams := Teams{}
	for _, m := range ms {
		e := strings.ToLower(m.Email)
		teams[e] = append(teams[e], m.Team)
	}
	cs := []Card{}
	for _, p := range ps {
		if p.Kind == catalog.KindInnerSource {
			cs = append(cs, NewCard(p, teams, now))
		}
	}
	Sort(cs)
	return cs
}
