package events

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
)

// TestLedgerEqualsTally adds random events in random batches, while
// identities are merged and split between batches, and checks after each
// batch that the Ledger's standings and leaderboard equal a full Tally
// and Board of every event so far under the current identities.
func TestLedgerEqualsTally(t *testing.T) {
	emails := []string{"ann@example.com", "ann@home.example", "bob@example.com", "cy@example.com", "dee@example.com", ""}
	projects := []string{"p", "q", "r", ""}
	sources := []string{catalog.EventGit, catalog.EventGit, catalog.EventForge, catalog.EventManual}
	kinds := []string{KindCrossTeam, KindFirstContribution, KindDocs, KindVulnFixed, KindTalk}
	ms := []catalog.Membership{{Team: "red", Email: "ann@example.com"}, {Team: "blue", Email: "bob@example.com"},
		{Team: "blue", Email: "ANN@home.example"}, {Team: "red", Email: "cy@example.com"}}
	optins := []string{"ann@home.example", "dee@example.com"}
	for seed := range uint64(40) {
		r := rand.New(rand.NewPCG(seed, 17))
		l := NewLedger(DefaultCaps)
		var all []catalog.Event
		id := 0
		for batch := range 12 {
			// Who each e-mail is this time: merged into a person, or not.
			personOf := map[string]string{}
			var people []catalog.Person
			byPerson := map[string]*catalog.Person{}
			for _, e := range emails {
				if e == "" || r.IntN(3) == 0 {
					continue
				}
				p := fmt.Sprintf("person%d", r.IntN(3))
				personOf[e] = p
				if byPerson[p] == nil {
					people = append(people, catalog.Person{ID: p, Name: "Name of " + p, Email: e})
					byPerson[p] = &people[len(people)-1]
				}
			}
			for i := range people {
				for e, p := range personOf {
					if p == people[i].ID {
						people[i].Identities = append(people[i].Identities, catalog.Identity{Email: e})
					}
				}
			}
			var evs []catalog.Event
			for range r.IntN(40) {
				id++
				kind := kinds[r.IntN(len(kinds))]
				evs = append(evs, catalog.Event{ID: fmt.Sprintf("e%03d", id), Kind: kind, Source: sources[r.IntN(len(sources))],
					ProjectKey: projects[r.IntN(len(projects))], Email: emails[r.IntN(len(emails))],
					// Events of any time: a scan finds old history as
					// well as new.
					At: base.Add(time.Duration(r.IntN(20*24)) * time.Hour), Points: 1 + r.IntN(20)})
			}
			all = append(all, evs...)
			l.Add(evs, personOf)

			full := make([]catalog.Event, len(all))
			for i, e := range all {
				e.PersonID = personOf[e.Email]
				full[i] = e
			}
			var want []Standing
			for _, s := range Tally(full, DefaultCaps) {
				want = append(want, Standing{Person: s.Person, Points: s.Points, Level: s.Level})
			}
			if diff := cmp.Diff(want, l.Standings(), cmp.Comparer(func(a, b []Standing) bool { return len(a) == 0 && len(b) == 0 || cmp.Equal(a, b) })); diff != "" {
				t.Fatalf("seed %d batch %d: Ledger standings (-full tally +ledger):\n%s", seed, batch, diff)
			}
			if diff := cmp.Diff(Board(full, people, ms, optins, DefaultCaps), BoardOf(l.Standings(), people, ms, optins)); diff != "" {
				t.Fatalf("seed %d batch %d: leaderboard (-full +ledger):\n%s", seed, batch, diff)
			}
		}
		if l.Events() != len(all) {
			t.Errorf("seed %d: Ledger holds %d events, want %d", seed, l.Events(), len(all))
		}
	}
}

// TestLedgerRetalliesOnlyTouched checks that Add re-tallies the people
// the new events credit and those an e-mail moved between, not everyone.
func TestLedgerRetalliesOnlyTouched(t *testing.T) {
	l := NewLedger(DefaultCaps)
	at := base
	mk := func(id, email string) catalog.Event {
		return catalog.Event{ID: id, Source: catalog.EventGit, ProjectKey: "p", Email: email, At: at, Points: 5}
	}
	if n := l.Add([]catalog.Event{mk("1", "a@x"), mk("2", "b@x"), mk("3", "c@x")}, nil); n != 3 {
		t.Errorf("first Add re-tallied %d people, want 3", n)
	}
	if n := l.Add([]catalog.Event{mk("4", "a@x")}, nil); n != 1 {
		t.Errorf("Add of one event of a@x re-tallied %d people, want 1", n)
	}
	// b@x merges into person B: b@x's old standing goes, B's comes.
	if n := l.Add(nil, map[string]string{"b@x": "B"}); n != 2 {
		t.Errorf("Add of an identity change re-tallied %d people, want 2", n)
	}
	want := []Standing{{Person: "a@x", Points: 10, Level: LevelOf(10)}, {Person: "B", Points: 5, Level: LevelOf(5)}, {Person: "c@x", Points: 5, Level: LevelOf(5)}}
	if diff := cmp.Diff(want, l.Standings()); diff != "" {
		t.Errorf("Standings (-want +got):\n%s", diff)
	}
}

// BenchmarkLedger measures the tally at TestGamifyLoad's size (100,000
// events of 5,000 people): the first Add of every event, then adding one
// project's ten new events (what the hub does after an incremental scan),
// against a full Tally of every event.
//
//	go test -run - -bench Ledger ./internal/events
func BenchmarkLedger(b *testing.B) {
	const people, evs = 5000, 100000
	all := make([]catalog.Event, evs)
	personOf := map[string]string{}
	for i := range all {
		email := fmt.Sprintf("dev%04d@example.com", i%people)
		personOf[email] = fmt.Sprintf("dev%04d", i%people)
		all[i] = catalog.Event{ID: fmt.Sprintf("e%06d", i), Source: catalog.EventGit, ProjectKey: fmt.Sprintf("p%05d", i/10),
			Email: email, At: base.AddDate(0, 0, -(i % 300)), Points: 5}
	}
	next := func(k int) []catalog.Event {
		out := make([]catalog.Event, 10)
		for j := range out {
			out[j] = catalog.Event{ID: fmt.Sprintf("n%06d-%d", k, j), Source: catalog.EventGit, ProjectKey: "p00001",
				Email: fmt.Sprintf("dev%04d@example.com", j), At: base.Add(time.Duration(k) * time.Minute), Points: 3}
		}
		return out
	}
	b.Run("first", func(b *testing.B) {
		for b.Loop() {
			NewLedger(DefaultCaps).Add(all, personOf)
		}
	})
	b.Run("ten-new-events", func(b *testing.B) {
		l := NewLedger(DefaultCaps)
		l.Add(all, personOf)
		k := 0
		for b.Loop() {
			k++
			l.Add(next(k), personOf)
			l.Standings()
		}
	})
	b.Run("full-tally", func(b *testing.B) {
		full := make([]catalog.Event, len(all))
		for i, e := range all {
			e.PersonID = personOf[e.Email]
			full[i] = e
		}
		for b.Loop() {
			Tally(full, DefaultCaps)
		}
	})
}
