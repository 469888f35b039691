package health

import (
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
)

// TestPreparedEqualsNaive checks Compute (over Prepare) and Compute over
// Merge of parts against the first, direct implementation on random
// contributions: people under several addresses, contributions without
// an e-mail, commits outside the window, weeks given at any time of the
// week, empty and negative weeks, first commits before any week.
func TestPreparedEqualsNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 4))
	base := time.Date(2024, 3, 6, 15, 4, 5, 0, time.UTC)
	for round := range 300 {
		var cs []catalog.Contribution
		for range rng.IntN(30) {
			who := rng.IntN(12)
			c := catalog.Contribution{Identity: catalog.Identity{Name: "Dev " + string(rune('A'+who))}}
			switch rng.IntN(4) {
			case 0:
				c.PersonID = "p" + string(rune('a'+who%5))
				c.Email = []string{"x@acme.com", "X@Gmail.com", "y@other.org"}[rng.IntN(3)]
			case 1:
				c.Email = []string{"ann@acme.com", "Ann@ACME.com", "bob@gmail.com", "cat@users.noreply.github.com", "dan@other.org"}[rng.IntN(5)]
			case 2:
				// no e-mail: told apart by name
			case 3:
				c.Email = "dev" + string(rune('a'+who)) + "@team.example"
			}
			for range rng.IntN(25) {
				at := base.Add(time.Duration(rng.IntN(160*24*7)-80*24*7) * time.Hour)
				c.Weeks = append(c.Weeks, catalog.WeekActivity{Week: at, Commits: rng.IntN(6) - 1})
			}
			if rng.IntN(3) == 0 {
				c.FirstCommit = base.Add(-time.Duration(rng.IntN(200*24*7)) * time.Hour)
			}
			cs = append(cs, c)
		}
		o := Options{Weeks: 1 + rng.IntN(60), InactiveWeeks: rng.IntN(15), Now: base.Add(time.Duration(rng.IntN(40*24*7)-20*24*7) * time.Hour),
			Affiliations: map[string]string{"other.org": "Other", "x@gmail.com": "ACME"}}
		in := Input{Contributions: cs, Releases: []time.Time{base}, ReleasesKnown: rng.IntN(2) == 0}
		want := naiveCompute(in, o)
		if diff := cmp.Diff(want, Compute(in, o)); diff != "" {
			t.Fatalf("round %d: Compute differs from the direct computation (-want +got):\n%s", round, diff)
		}
		cut := 0
		if len(cs) > 0 {
			cut = rng.IntN(len(cs))
		}
		merged := Merge(Prepare(cs[:cut]), nil, Prepare(cs[cut:]))
		if diff := cmp.Diff(want, merged.Compute(Input{Releases: in.Releases, ReleasesKnown: in.ReleasesKnown}, o)); diff != "" {
			t.Fatalf("round %d: Compute over Merge differs (-want +got):\n%s", round, diff)
		}
	}
}

// naiveContributor is one person's weekly commits.
type naiveContributor struct {
	key   string
	email string
	weeks map[int64]int // Monday unix -> commits
	first int64         // first week ever (unix), from weeks or FirstCommit
}

// naiveCompute is Compute as it was first written (a map of weeks per
// person, every window week looked up): the reference of TestPreparedEqualsNaive.
func naiveCompute(in Input, o Options) Report {
	if o.Weeks <= 0 {
		o.Weeks = 52
	}
	if o.InactiveWeeks <= 0 {
		o.InactiveWeeks = 13
	}
	last := catalog.WeekOf(o.Now)
	from := last.AddDate(0, 0, -7*(o.Weeks-1))
	r := Report{From: from, To: last.AddDate(0, 0, 7), Weeks: make([]Week, o.Weeks), Organisations: []Organisation{}}
	for i := range r.Weeks {
		r.Weeks[i].Week = from.AddDate(0, 0, 7*i)
	}

	people := map[string]*naiveContributor{}
	for _, c := range in.Contributions {
		key := c.PersonID
		switch {
		case key != "":
		case c.Email != "":
			key = "email:" + strings.ToLower(c.Email)
		default:
			key = "name:" + strings.ToLower(c.Name)
		}
		p := people[key]
		if p == nil {
			p = &naiveContributor{key: key, email: strings.ToLower(c.Email), weeks: map[int64]int{}, first: math.MaxInt64}
			people[key] = p
		}
		for _, w := range c.Weeks {
			if w.Commits <= 0 {
				continue
			}
			wk := catalog.WeekOf(w.Week).Unix()
			p.weeks[wk] += w.Commits
			p.first = min(p.first, wk)
		}
		if !c.FirstCommit.IsZero() {
			p.first = min(p.first, catalog.WeekOf(c.FirstCommit).Unix())
		}
	}
	keys := make([]string, 0, len(people))
	for k := range people {
		keys = append(keys, k)
	}
	sort.Strings(keys)

	// Weekly series.
	inactiveSpan := int64(o.InactiveWeeks) * int64(week/time.Second)
	for i := range r.Weeks {
		w := &r.Weeks[i]
		wk := w.Week.Unix()
		for _, k := range keys {
			p := people[k]
			if n := p.weeks[wk]; n > 0 {
				w.Commits += n
				w.Contributors++
				if p.first == wk {
					w.New++
				} else if p.first < wk {
					w.Returning++
				}
			}
			// Inactive: committed before, nothing in the last InactiveWeeks weeks up to wk.
			if p.first <= wk-inactiveSpan {
				active := false
				for back := int64(0); back < int64(o.InactiveWeeks); back++ {
					if p.weeks[wk-back*int64(week/time.Second)] > 0 {
						active = true
						break
					}
				}
				if !active {
					w.Inactive++
				}
			}
		}
	}
	for _, t := range in.Releases {
		if i := weekIndex(t, from, o.Weeks); i >= 0 {
			r.Weeks[i].Releases++
		}
	}

	// Window totals.
	perPerson := map[string]int{}
	perOrg := map[string]int{}
	total, newTotal, releases := 0, 0, 0
	for _, w := range r.Weeks {
		total += w.Commits
		newTotal += w.New
		releases += w.Releases
	}
	lastWeek := last.Unix()
	for _, k := range keys {
		p := people[k]
		for _, w := range r.Weeks {
			if n := p.weeks[w.Week.Unix()]; n > 0 {
				perPerson[k] += n
				perOrg[OrganisationOf(p.email, o.Affiliations)] += n
			}
		}
		if perPerson[k] > 0 {
			r.Contributors++
		}
		// The week of the last commit up to the window's end: inactive from
		// InactiveWeeks weeks later; did that fall in the window?
		lastCommit := int64(math.MinInt64)
		for wk := range p.weeks {
			if wk <= lastWeek && wk > lastCommit {
				lastCommit = wk
			}
		}
		if lastCommit != math.MinInt64 && lastCommit+inactiveSpan >= from.Unix() && lastCommit+inactiveSpan <= lastWeek {
			r.WentInactive++
		}
	}
	return summarise(r, in, o, from, perPerson, perOrg, total, newTotal, releases)
}
