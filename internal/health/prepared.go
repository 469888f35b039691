package health

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
)

// Prepared is contributions merged into contributors (one per person, or
// per e-mail, or per name when there is no e-mail) with their weekly
// commits, ready for any window: Compute prepares its input on every call;
// a caller computing many windows or scopes over the same contributions
// prepares them once (a project's, then Merge for a team or the estate).
// A Prepared is not changed after it is made; it is safe for concurrent
// use.
type Prepared struct {
	people []contributor // by key
}

// contributor is one person's weekly commits.
type contributor struct {
	key   string
	email string      // the first address read: the person's organisation
	first int32       // first week ever (see weekNumber), from weeks or FirstCommit; noWeek if none
	weeks []weekCount // the weeks with commits, oldest first
}

// weekCount is one week's commits of a contributor.
type weekCount struct {
	week    int32 // see weekNumber
	commits int32
}

// noWeek is the first week of a contributor with neither commits nor a
// first commit date.
const noWeek = math.MaxInt32

// firstMonday is the Unix time of Monday 5 January 1970 00:00 UTC.
const firstMonday = 4 * 24 * 3600

// weekNumber returns the number of t's week (Monday 00:00 UTC, as
// catalog.WeekOf) counted from firstMonday.
func weekNumber(t time.Time) int32 {
	d := t.Unix() - firstMonday
	n := d / int64(week/time.Second)
	if d < 0 && d%int64(week/time.Second) != 0 {
		n--
	}
	return int32(n)
}

func cmpWeek(w weekCount, n int32) int { return cmp.Compare(w.week, n) }

// Prepare merges cs into contributors: contributions with the same
// PersonID are one contributor, others are told apart by e-mail (case
// folded), else by name.
func Prepare(cs []catalog.Contribution) *Prepared {
	at := map[string]int{}
	var people []contributor
	var weeks []map[int32]int32
	for _, c := range cs {
		key := c.PersonID
		switch {
		case key != "":
		case c.Email != "":
			key = "email:" + strings.ToLower(c.Email)
		default:
			key = "name:" + strings.ToLower(c.Name)
		}
		i, ok := at[key]
		if !ok {
			i = len(people)
			at[key] = i
			people = append(people, contributor{key: key, email: strings.ToLower(c.Email), first: noWeek})
			weeks = append(weeks, map[int32]int32{})
		}
		p := &people[i]
		for _, w := range c.Weeks {
			if w.Commits <= 0 {
				continue
			}
			n := weekNumber(w.Week)
			weeks[i][n] += int32(w.Commits)
			p.first = min(p.first, n)
		}
		if !c.FirstCommit.IsZero() {
			p.first = min(p.first, weekNumber(c.FirstCommit))
		}
	}
	for i := range people {
		ws := make([]weekCount, 0, len(weeks[i]))
		for n, k := range weeks[i] {
			ws = append(ws, weekCount{n, k})
		}
		slices.SortFunc(ws, func(a, b weekCount) int { return cmp.Compare(a.week, b.week) })
		people[i].weeks = ws
	}
	slices.SortFunc(people, func(a, b contributor) int { return strings.Compare(a.key, b.key) })
	return &Prepared{people: people}
}

// Merge returns the contributors of ps together, as Prepare of their
// contributions one after the other (a person's organisation is that of
// the address read first: order ps accordingly). Nil entries are skipped.
func Merge(ps ...*Prepared) *Prepared {
	type ref struct{ p, i int } // ps[p].people[i]
	byKey := map[string][]ref{}
	var order []string
	for pi, p := range ps {
		if p == nil {
			continue
		}
		for i := range p.people {
			k := p.people[i].key
			if _, ok := byKey[k]; !ok {
				order = append(order, k)
			}
			byKey[k] = append(byKey[k], ref{pi, i})
		}
	}
	slices.Sort(order)
	out := &Prepared{people: make([]contributor, 0, len(order))}
	for _, k := range order {
		refs := byKey[k]
		first := ps[refs[0].p].people[refs[0].i]
		if len(refs) == 1 {
			out.people = append(out.people, first) // shared: never changed
			continue
		}
		c := contributor{key: k, email: first.email, first: noWeek}
		n := 0
		for _, r := range refs {
			n += len(ps[r.p].people[r.i].weeks)
		}
		ws := make([]weekCount, 0, n)
		for _, r := range refs {
			p := &ps[r.p].people[r.i]
			c.first = min(c.first, p.first)
			ws = append(ws, p.weeks...)
		}
		slices.SortFunc(ws, func(a, b weekCount) int { return cmp.Compare(a.week, b.week) })
		// Sum the weeks several contributions share.
		j := 0
		for _, w := range ws {
			if j > 0 && ws[j-1].week == w.week {
				ws[j-1].commits += w.commits
				continue
			}
			ws[j] = w
			j++
		}
		c.weeks = ws[:j]
		out.people = append(out.people, c)
	}
	return out
}

// Len returns the number of contributors.
func (p *Prepared) Len() int { return len(p.people) }
