package storetest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/store"
)

// digestTests cover store.DigestStore.
var digestTests = []namedTest{
	{"Digests", testDigests},
	{"DigestClaimsRace", testDigestClaimsRace},
}

// testDigests claims, re-claims and releases digests: one claim per team,
// week and recipient; a release lets the next run claim again; weeks and
// teams are apart; Generation does not move.
func testDigests(t *testing.T, s store.Store) {
	ctx := context.Background()
	gen, err := s.Generation(ctx)
	if err != nil {
		t.Fatal(err)
	}
	week := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	claim := func(team string, wk time.Time, to string, want bool) {
		t.Helper()
		got, err := s.ClaimDigest(ctx, team, wk, to, t0)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("ClaimDigest(%s, %s, %s) = %v, want %v", team, wk.Format(time.DateOnly), to, got, want)
		}
	}
	claim("payments", week, "webhook", true)
	claim("payments", week, "webhook", false)
	claim("payments", week, "member:ann@example.com", true)
	claim("payments", week.AddDate(0, 0, 7), "webhook", true)
	claim("search", week, "webhook", true)
	got, err := s.DigestRecipients(ctx, "payments", week)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"member:ann@example.com", "webhook"}, got); d != "" {
		t.Errorf("DigestRecipients (-want +got):\n%s", d)
	}
	if err := s.ReleaseDigest(ctx, "payments", week, "webhook"); err != nil {
		t.Fatal(err)
	}
	if err := s.ReleaseDigest(ctx, "payments", week, "never-claimed"); err != nil {
		t.Errorf("releasing what was not claimed: %v", err)
	}
	claim("payments", week, "webhook", true)
	if _, err := s.ClaimDigest(ctx, "", week, "webhook", t0); err == nil {
		t.Error("a claim without a team succeeded")
	}
	if g, _ := s.Generation(ctx); g != gen {
		t.Errorf("digest claims moved Generation from %d to %d", gen, g)
	}
}

// testDigestClaimsRace claims one digest from many goroutines at once:
// exactly one wins.
func testDigestClaimsRace(t *testing.T, s store.Store) {
	ctx := context.Background()
	week := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	won := 0
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok, err := s.ClaimDigest(ctx, "payments", week, "webhook", t0)
			if err != nil {
				t.Error(err)
				return
			}
			if ok {
				mu.Lock()
				won++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if won != 1 {
		t.Errorf("%d concurrent claims won, want 1", won)
	}
}
