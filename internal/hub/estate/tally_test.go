package estate_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/events"
	"github.com/ospo-project/ospo/internal/hub/estate"
	"github.com/ospo-project/ospo/internal/store"
	"github.com/ospo-project/ospo/internal/store/teststore"
)

// fullBoard is the leaderboard computed from scratch: every event read
// whole, every person, membership and consent (what Leaderboard computed
// before its tally became incremental).
func fullBoard(t *testing.T, st store.Store) events.Leaderboard {
	t.Helper()
	ctx := context.Background()
	evs, err := st.Events(ctx, store.EventFilter{})
	if err != nil {
		t.Fatal(err)
	}
	people, err := st.ListPeople(ctx, store.PersonFilter{})
	if err != nil {
		t.Fatal(err)
	}
	ms, err := st.Memberships(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	optins, err := st.LeaderboardOptIns(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return events.Board(evs, people, ms, optins, events.DefaultCaps)
}

// TestIncrementalLeaderboard checks, on both stores, that the incremental
// leaderboard equals the one computed from scratch after each kind of
// change: events of any date (old history as well as new), identities
// merged and split, memberships, consents, an approved claim, a bot.
func TestIncrementalLeaderboard(t *testing.T) {
	teststore.Each(t, func(t *testing.T, base store.Store) {
		ctx := context.Background()
		st := &countingStore{Store: base}
		cat := estate.New(st, 0)
		at := time.Date(2025, 5, 5, 10, 0, 0, 0, time.UTC)
		n := 0
		add := func(email, project string, days int, kinds ...string) {
			t.Helper()
			var evs []catalog.Event
			for _, k := range kinds {
				n++
				info, _ := events.Kind(k)
				evs = append(evs, catalog.Event{ID: fmt.Sprintf("e%03d", n), Kind: k, Source: info.Source, ProjectKey: project,
					Email: email, At: at.AddDate(0, 0, days).Add(time.Duration(n) * time.Minute), Points: info.Points, Summary: k})
			}
			if _, err := st.AddEvents(ctx, project, "", evs); err != nil {
				t.Fatal(err)
			}
		}
		check := func(step string) {
			t.Helper()
			got, err := cat.Leaderboard(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(fullBoard(t, base), got); diff != "" {
				t.Errorf("after %s: leaderboard (-from scratch +incremental):\n%s", step, diff)
			}
		}
		people := func(ps ...catalog.Person) {
			t.Helper()
			if err := st.ReplacePeople(ctx, ps); err != nil {
				t.Fatal(err)
			}
		}
		person := func(id string, bot bool, emails ...string) catalog.Person {
			p := catalog.Person{ID: id, Name: "Name " + id, Email: emails[0], Bot: bot}
			for _, e := range emails {
				p.Identities = append(p.Identities, catalog.Identity{Name: "Name " + id, Email: e})
			}
			return p
		}
		cross := events.KindCrossTeam
		add("ann@x.example", "p", 0, cross, cross, cross, cross, events.KindFirstContribution)
		add("bob@x.example", "q", 1, events.KindDocs, events.KindVulnFixed)
		check("the first events")
		if err := st.ReplaceMemberships(ctx, catalog.MemberFile, []catalog.Membership{
			{Team: "payments", Email: "ann@x.example", Source: catalog.MemberFile},
			{Team: "search", Email: "ann@home.example", Source: catalog.MemberFile},
			{Team: "search", Email: "bob@x.example", Source: catalog.MemberFile}}, nil); err != nil {
			t.Fatal(err)
		}
		check("memberships")
		// Ann's second address earns on the same day and project: as one
		// person, the daily cap cuts more.
		add("ann@home.example", "p", 0, cross, cross)
		check("events of a second address")
		people(person("ann", false, "ann@x.example", "ann@home.example"), person("bob", false, "bob@x.example"))
		check("merging ann's addresses")
		add("ann@x.example", "p", -400, cross, events.KindDocs) // old history, found by a later scan
		check("old events")
		if err := st.SetLeaderboardOptIn(ctx, "ann@home.example", true, nil); err != nil {
			t.Fatal(err)
		}
		check("a consent")
		people(person("ann", false, "ann@x.example"), person("ann2", false, "ann@home.example"), person("ci", true, "bob@x.example"))
		check("splitting ann and making bob's address a bot's")
		c, err := st.AddClaim(ctx, catalog.EventClaim{Kind: events.KindTalk, Email: "bob@x.example", Evidence: "https://conf.example/t",
			ClaimedBy: "bob@x.example"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.DecideClaim(ctx, c.ID, store.ClaimDecision{Approve: true, By: "ospo@x.example", Event: events.ClaimEvent}, nil); err != nil {
			t.Fatal(err)
		}
		check("an approved claim")
		if n := st.events.Load(); n != 12 {
			t.Errorf("the tally read %d events in all, want each of the 12 once", n)
		}
	})
}

// TestLeaderboardStaleWhileRevalidate: with a TTL, a request after a new
// event gets the previous board at once while the tally catches up in
// the background; later requests get the new one.
func TestLeaderboardStaleWhileRevalidate(t *testing.T) {
	teststore.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		at := time.Date(2025, 5, 5, 10, 0, 0, 0, time.UTC)
		add := func(id string) {
			t.Helper()
			if _, err := st.AddEvents(ctx, "k", "", []catalog.Event{{ID: id, Kind: events.KindDocs, Source: catalog.EventGit,
				ProjectKey: "k", Email: "ann@x.example", At: at, Points: 3, Summary: "docs"}}); err != nil {
				t.Fatal(err)
			}
		}
		if err := st.SetLeaderboardOptIn(ctx, "ann@x.example", true, nil); err != nil {
			t.Fatal(err)
		}
		add("e1")
		cat := estate.New(st, time.Hour)
		points := func() int {
			t.Helper()
			b, err := cat.Leaderboard(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(b.People) != 1 {
				t.Fatalf("individual board = %+v, want ann", b.People)
			}
			return b.People[0].Points
		}
		if p := points(); p != 3 {
			t.Fatalf("points = %d, want 3", p)
		}
		add("e2")
		if p := points(); p != 3 {
			t.Errorf("points right after a new event = %d, want the previous board's 3", p)
		}
		deadline := time.Now().Add(time.Minute)
		for points() != 6 {
			if time.Now().After(deadline) {
				t.Fatalf("the board never caught up with the new event (points %d, want 6)", points())
			}
			time.Sleep(10 * time.Millisecond)
		}
	})
}
