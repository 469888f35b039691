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

// countingStore counts the tally's reads of events and how many events
// they returned, to see the cache and the incremental tally at work.
type countingStore struct {
	store.Store
	reads, events atomic.Int64
}

func (s *countingStore) TallyEvents(ctx context.Context, mark int64) (store.TallyRead, error) {
	r, err := s.Store.TallyEvents(ctx, mark)
	s.reads.Add(1)
	s.events.Add(int64(len(r.Events)))
	return r, err
}

// TestLeaderboardCache: the events are read once while nothing changes,
// and after a new event only that event is read; the board follows each
// kind of change: a new event, a team membership (which does not advance
// the generation), a consent.
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
		if n, evs := st.reads.Load(), st.events.Load(); n != 2 || evs != 2 {
			t.Errorf("events read %d times, %d events in all; want twice (first board, the new event), 2 events", n, evs)
		}
	})
}
