package estate_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/events"
	"github.com/ospo-project/ospo/internal/hub/estate"
	"github.com/ospo-project/ospo/internal/store"
	"github.com/ospo-project/ospo/internal/store/teststore"
)

// countingStore counts the reads of every event, to see the cache at work.
type countingStore struct {
	store.Store
	reads atomic.Int64
}

func (s *countingStore) Events(ctx context.Context, f store.EventFilter) ([]catalog.Event, error) {
	s.reads.Add(1)
	return s.Store.Events(ctx, f)
}

// TestLeaderboardCache: the leaderboard is tallied once while nothing it
// depends on changes, and again after each kind of change: a new event, a
// team membership (which does not advance the generation), a consent.
func TestLeaderboardCache(t *testing.T) {
	teststore.Each(t, func(t *testing.T, base store.Store) {
		ctx := context.Background()
		st := &countingStore{Store: base}
		at := time.Date(2025, 5, 5, 10, 0, 0, 0, time.UTC)
		ev := func(id, email string) catalog.Event {
			return catalog.Event{ID: id, Kind: events.KindFirstContribution, Source: catalog.EventGit, ProjectKey: "k",
				Email: email, At: at, Points: 5, Summary: "first"}
		}
		if _, err := st.AddEvents(ctx, "k", "", []catalog.Event{ev("e1", "ann@x.example")}); err != nil {
			t.Fatal(err)
		}
		cat := estate.New(st, 0)
		board := func() events.Leaderboard {
			t.Helper()
			b, err := cat.Leaderboard(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
		teams := func(b events.Leaderboard) map[string]int {
			out := map[string]int{}
			for _, e := range b.Teams {
				out[e.Name] = e.Points
			}
			return out
		}
		board()
		board()
		if n := st.reads.Load(); n != 1 {
			t.Errorf("two leaderboards read the events %d times, want 1", n)
		}
		if err := st.ReplaceMemberships(ctx, catalog.MemberFile, []catalog.Membership{
			{Team: "payments", Email: "ann@x.example", Source: catalog.MemberFile},
			{Team: "search", Email: "bob@x.example", Source: catalog.MemberFile}}, nil); err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(map[string]int{"payments": 5}, teams(board())); d != "" {
			t.Errorf("teams after the memberships (-want +got):\n%s", d)
		}
		if _, err := st.AddEvents(ctx, "k", "", []catalog.Event{ev("e2", "bob@x.example")}); err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(map[string]int{"payments": 5, "search": 5}, teams(board())); d != "" {
			t.Errorf("teams after bob's event (-want +got):\n%s", d)
		}
		if got := board().People; len(got) != 0 {
			t.Errorf("individual board without consent: %+v", got)
		}
		if err := st.SetLeaderboardOptIn(ctx, "bob@x.example", true, nil); err != nil {
			t.Fatal(err)
		}
		if got := board().People; len(got) != 1 || got[0].Points != 5 {
			t.Errorf("individual board after bob's consent: %+v", got)
		}
		if n := st.reads.Load(); n != 4 {
			t.Errorf("events read %d times, want 4 (first board, memberships, event, consent)", n)
		}
	})
}
