package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store"
)

// scoreTests cover store.ScoreStore.
var scoreTests = []namedTest{
	{"Scores/RoundTrip", testScoreRoundTrip},
	{"Scores/LatestAndHistory", testScoreLatest},
	{"Scores/OnePerHead", testScorePerHead},
	{"Scores/UnknownProject", testScoreUnknown},
}

func scorecard(id int64, name, key string, at time.Time, score float64) catalog.Scorecard {
	return catalog.Scorecard{ProjectID: id, Project: name, Key: key, Commit: "abc123", ScoredAt: at, Score: score, Availability: 0.86,
		Checks: []catalog.CheckScore{
			{Name: "Security", Score: 7, Reason: "1 of 6 probes not passing: hasSecurityPolicy", Details: []string{"fail: hasSecurityPolicy: no SECURITY.md"},
				Documentation: "https://example.com/docs#security", Weight: 2,
				Findings: []catalog.ProbeFinding{{Probe: "hasSecurityPolicy", Outcome: catalog.OutcomeFail, Message: "no SECURITY.md", Remediation: "Add SECURITY.md."}}},
			{Name: "Observability", Score: catalog.ScoreNotAvailable, Reason: "not available: no code", Weight: 1,
				Exemption: &catalog.ScoreExemption{Reason: "a library", ApprovedBy: "ospo", Expires: t0.AddDate(1, 0, 0)}},
		}}
}

func testScoreRoundTrip(t *testing.T, s store.Store) {
	ctx := context.Background()
	id, err := s.ReplaceProject(ctx, project("github.com/acme/api", "api", 1))
	if err != nil {
		t.Fatal(err)
	}
	want := scorecard(id, "api", "github.com/acme/api", t0, 7.4)
	if err := s.AddScore(ctx, want); err != nil {
		t.Fatal(err)
	}
	got, err := s.ScoreHistory(ctx, id, 0)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]catalog.Scorecard{want}, got, opts); diff != "" {
		t.Errorf("ScoreHistory (-want +got):\n%s", diff)
	}
}

func testScoreLatest(t *testing.T, s store.Store) {
	ctx := context.Background()
	a, err := s.ReplaceProject(ctx, project("github.com/acme/a", "a", 1))
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.ReplaceProject(ctx, project("github.com/acme/b", "b", 2))
	if err != nil {
		t.Fatal(err)
	}
	older := scorecard(a, "a", "github.com/acme/a", t0, 5)
	older.Commit = "old111" // another HEAD: kept in the history
	for i, sc := range []catalog.Scorecard{
		older,
		scorecard(a, "a", "github.com/acme/a", t0.Add(time.Hour), 6),
		scorecard(b, "b", "github.com/acme/b", t0, 3),
	} {
		if err := s.AddScore(ctx, sc); err != nil {
			t.Fatalf("AddScore %d: %v", i, err)
		}
	}
	latest, err := s.LatestScores(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []float64
	for _, sc := range latest {
		got = append(got, sc.Score)
	}
	if diff := cmp.Diff([]float64{6, 3}, got); diff != "" {
		t.Errorf("LatestScores scores (-want +got):\n%s", diff)
	}
	hist, err := s.ScoreHistory(ctx, a, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) != 1 || hist[0].Score != 6 {
		t.Errorf("ScoreHistory(a, 1) = %+v, want the newest (6)", hist)
	}
	recent, err := s.RecentScores(ctx, []int64{a, b, 4242}, 2)
	if err != nil {
		t.Fatal(err)
	}
	scores := map[int64][]float64{}
	for id, scs := range recent {
		for _, sc := range scs {
			scores[id] = append(scores[id], sc.Score)
		}
	}
	if diff := cmp.Diff(map[int64][]float64{a: {6, 5}, b: {3}}, scores); diff != "" {
		t.Errorf("RecentScores(a, b, unknown; 2) (-want +got):\n%s", diff)
	}
	if recent, err := s.RecentScores(ctx, []int64{a}, 1); err != nil || len(recent[a]) != 1 || recent[a][0].Score != 6 || recent[a][0].Key != "github.com/acme/a" {
		t.Errorf("RecentScores(a; 1) = %+v, %v; want the newest (6) with its key", recent, err)
	}
	if err := s.DeleteProject(ctx, "github.com/acme/a"); err != nil {
		t.Fatal(err)
	}
	if hist, err := s.ScoreHistory(ctx, a, 0); err != nil || len(hist) != 0 {
		t.Errorf("after DeleteProject, ScoreHistory = %d, %v; want none", len(hist), err)
	}
}

func testScoreUnknown(t *testing.T, s store.Store) {
	err := s.AddScore(context.Background(), scorecard(4242, "x", "x", t0, 1))
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("AddScore(unknown project) = %v, want ErrNotFound", err)
	}
}

// testScorePerHead scores one HEAD twice (as two scans running at once do)
// and a second HEAD once: the history holds one scorecard per HEAD, the
// later scoring of a HEAD replacing the earlier.
func testScorePerHead(t *testing.T, s store.Store) {
	ctx := context.Background()
	id, err := s.ReplaceProject(ctx, project("github.com/acme/a", "a", 1))
	if err != nil {
		t.Fatal(err)
	}
	first := scorecard(id, "a", "github.com/acme/a", t0, 5)
	again := scorecard(id, "a", "github.com/acme/a", t0.Add(time.Minute), 7)
	next := scorecard(id, "a", "github.com/acme/a", t0.Add(time.Hour), 8)
	next.Commit = "def456"
	for _, sc := range []catalog.Scorecard{first, again, next} {
		if err := s.AddScore(ctx, sc); err != nil {
			t.Fatal(err)
		}
	}
	hist, err := s.ScoreHistory(ctx, id, 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, h := range hist {
		got = append(got, fmt.Sprintf("%s=%v", h.Commit, h.Score))
	}
	if diff := cmp.Diff([]string{"def456=8", "abc123=7"}, got); diff != "" {
		t.Errorf("ScoreHistory (-want +got):\n%s", diff)
	}
}
