package catalog

import (
	"sort"
	"time"
)

// Identity is an author as one repository's history spells it, after that
// repository's .mailmap has been applied.
type Identity struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

// Contribution is what one identity did in one project.
type Contribution struct {
	Identity
	Commits      int       `json:"commits"`
	LinesAdded   int64     `json:"lines_added"`
	LinesRemoved int64     `json:"lines_removed"`
	FirstCommit  time.Time `json:"first_commit"`
	LastCommit   time.Time `json:"last_commit"`
	// Weeks is the weekly activity, oldest first, only weeks with commits.
	Weeks []WeekActivity `json:"weeks,omitempty"`
	// PersonID is filled in by the store when reading, once identities have
	// been merged into people; empty in a scanned value.
	PersonID string `json:"person_id,omitempty"`
}

// WeekActivity is one ISO week's work. Week is the Monday 00:00 UTC that
// starts the week.
type WeekActivity struct {
	Week         time.Time `json:"week"`
	Commits      int       `json:"commits"`
	LinesAdded   int64     `json:"lines_added"`
	LinesRemoved int64     `json:"lines_removed"`
}

// WeekOf returns the Monday 00:00 UTC starting the week that holds t.
func WeekOf(t time.Time) time.Time {
	t = t.UTC()
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	offset := (int(day.Weekday()) + 6) % 7 // Monday = 0
	return day.AddDate(0, 0, -offset)
}

// Person is one developer (or bot) across the whole estate, merged from all
// the identities that belong to them.
type Person struct {
	// ID is stable across rebuilds as long as the person's primary email is:
	// it is derived from that email.
	ID    string `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
	Bot   bool   `json:"bot,omitempty"`
	// Identities are every (name, email) pair merged into this person.
	Identities []Identity `json:"identities"`

	// The totals below are filled in by the store when reading.
	Commits      int             `json:"commits"`
	LinesAdded   int64           `json:"lines_added"`
	LinesRemoved int64           `json:"lines_removed"`
	FirstCommit  time.Time       `json:"first_commit,omitzero"`
	LastCommit   time.Time       `json:"last_commit,omitzero"`
	Projects     []PersonProject `json:"projects,omitempty"`
	// Activity is the person's weekly activity summed over every project,
	// oldest week first (filled in by Store.Person only).
	Activity []WeekActivity `json:"activity,omitempty"`
}

// PersonProject is one project a person contributed to, with their totals there.
type PersonProject struct {
	ProjectID    int64     `json:"project_id"`
	Project      string    `json:"project"`
	Commits      int       `json:"commits"`
	LinesAdded   int64     `json:"lines_added"`
	LinesRemoved int64     `json:"lines_removed"`
	FirstCommit  time.Time `json:"first_commit"`
	LastCommit   time.Time `json:"last_commit"`
}

// IdentityCount is a raw identity with how many commits it has estate-wide;
// identity merging uses the counts to choose each person's primary name.
type IdentityCount struct {
	Identity
	Commits int
}

// ByPerson merges contributions that belong to the same person (same
// PersonID) into one, keeping the person's most active identity as its
// name and email. Contributions without a PersonID stay as they are. The
// result is ordered by commits, most first, then by name.
func ByPerson(cs []Contribution) []Contribution {
	out := make([]Contribution, 0, len(cs))
	index := map[string]int{}
	best := map[string]int{} // commits of the identity that names the merged entry
	for _, c := range cs {
		if c.PersonID == "" {
			out = append(out, c)
			continue
		}
		i, ok := index[c.PersonID]
		if !ok {
			index[c.PersonID] = len(out)
			best[c.PersonID] = c.Commits
			c.Weeks = append([]WeekActivity(nil), c.Weeks...)
			out = append(out, c)
			continue
		}
		m := &out[i]
		if c.Commits > best[c.PersonID] {
			best[c.PersonID] = c.Commits
			m.Name, m.Email = c.Name, c.Email
		}
		m.Commits += c.Commits
		m.LinesAdded += c.LinesAdded
		m.LinesRemoved += c.LinesRemoved
		if c.FirstCommit.Before(m.FirstCommit) {
			m.FirstCommit = c.FirstCommit
		}
		if c.LastCommit.After(m.LastCommit) {
			m.LastCommit = c.LastCommit
		}
		m.Weeks = mergeWeeks(m.Weeks, c.Weeks)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Commits != out[j].Commits {
			return out[i].Commits > out[j].Commits
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// mergeWeeks adds two week series, both oldest first.
func mergeWeeks(a, b []WeekActivity) []WeekActivity {
	out := make([]WeekActivity, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j == len(b) || i < len(a) && a[i].Week.Before(b[j].Week):
			out = append(out, a[i])
			i++
		case i == len(a) || b[j].Week.Before(a[i].Week):
			out = append(out, b[j])
			j++
		default:
			w := a[i]
			w.Commits += b[j].Commits
			w.LinesAdded += b[j].LinesAdded
			w.LinesRemoved += b[j].LinesRemoved
			out = append(out, w)
			i++
			j++
		}
	}
	return out
}
