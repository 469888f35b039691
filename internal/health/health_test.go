package health

import (
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ospo-project/ospo/internal/catalog"
)

func monday(m time.Month, d int) time.Time { return time.Date(2024, m, d, 0, 0, 0, 0, time.UTC) }

func wk(t time.Time, n int) catalog.WeekActivity { return catalog.WeekActivity{Week: t, Commits: n} }

// The fixture's weeks: w0 is Monday 1 January 2024, w5 Monday 5 February.
var (
	w0, w1, w2, w3, w4, w5 = monday(1, 1), monday(1, 8), monday(1, 15), monday(1, 22), monday(1, 29), monday(2, 5)
	dec18                  = time.Date(2023, 12, 18, 0, 0, 0, 0, time.UTC)
)

func fixture() Input {
	return Input{
		Contributions: []catalog.Contribution{
			{Identity: catalog.Identity{Email: "ann@acme.com"}, PersonID: "ann", FirstCommit: dec18.Add(time.Hour),
				Weeks: []catalog.WeekActivity{wk(dec18, 1), wk(w0, 4), wk(w1, 2), wk(w4, 2)}},
			{Identity: catalog.Identity{Email: "ann@gmail.com"}, PersonID: "ann", Weeks: []catalog.WeekActivity{wk(w5, 1)}},
			{Identity: catalog.Identity{Email: "bob@acme.com"}, Weeks: []catalog.WeekActivity{wk(w2, 1), wk(w3, 1)}},
			{Identity: catalog.Identity{Email: "cat@gmail.com"}, Weeks: []catalog.WeekActivity{wk(w3, 3)}},
			{Identity: catalog.Identity{Email: "dan@other.org"}, Weeks: []catalog.WeekActivity{wk(w5, 2)}},
		},
		Releases:      []time.Time{w1.Add(50 * time.Hour), w5.Add(30 * time.Hour), time.Date(2023, 12, 1, 0, 0, 0, 0, time.UTC)},
		ReleasesKnown: true,
	}
}

var opts = Options{Weeks: 6, Now: w5.Add(50 * time.Hour), InactiveWeeks: 2, Affiliations: map[string]string{"other.org": "Other Inc"}}

// TestComputeByHand checks every value against a computation by hand
// (written out in the comments).
func TestComputeByHand(t *testing.T) {
	r := Compute(fixture(), opts)
	want := []Week{
		// ann (first commit in December) is returning; nobody inactive.
		{Week: w0, Commits: 4, Contributors: 1, Returning: 1},
		{Week: w1, Commits: 2, Contributors: 1, Returning: 1, Releases: 1},
		// bob's first week.
		{Week: w2, Commits: 1, Contributors: 1, New: 1},
		// bob returns, cat is new; ann has had no commit in w2 and w3: inactive.
		{Week: w3, Commits: 4, Contributors: 2, New: 1, Returning: 1, Inactive: 1},
		{Week: w4, Commits: 2, Contributors: 1, Returning: 1},
		// ann (through her second address, same person) and dan, new; bob and cat inactive.
		{Week: w5, Commits: 3, Contributors: 2, New: 1, Returning: 1, Inactive: 2, Releases: 1},
	}
	if diff := cmp.Diff(want, r.Weeks); diff != "" {
		t.Errorf("weeks (-want +got):\n%s", diff)
	}
	if !r.From.Equal(w0) || !r.To.Equal(w5.AddDate(0, 0, 7)) {
		t.Errorf("window %s to %s", r.From, r.To)
	}
	// 16 commits: ann 9, cat 3, bob 2, dan 2. Half is 8: ann alone.
	// Organisations: acme.com 11 (ann's person is at acme.com, bob), unaffiliated 3 (cat), Other Inc 2 (dan).
	// Weekly commits 4 2 1 4 2 3: mean 8/3, σ = √(22/18) = 1.1055; B = (σ−μ)/(σ+μ) = −0.4139.
	values := map[string]float64{
		MetricNewContributors: 3, MetricInactiveContributors: 2, MetricAbsenceFactor: 1, MetricElephantFactor: 1,
		MetricCommitFrequency: 16.0 / 6, MetricReleaseFrequency: 2 / (42.0 / 30), MetricBurstiness: -0.41385,
	}
	for id, v := range values {
		m, ok := r.Metric(id)
		if !ok || !m.Available || math.Abs(m.Value-v) > 1e-4 {
			t.Errorf("%s = %+v, want %.5f", id, m, v)
		}
		if m.URL == "" || m.Name == "" || m.Definition == "" {
			t.Errorf("%s lacks its CHAOSS name, definition or link", id)
		}
	}
	for _, id := range []string{MetricFirstResponse, MetricClosureRatio, MetricReviewDuration, MetricIssueAge} {
		if m, _ := r.Metric(id); m.Available {
			t.Errorf("%s available without a forge source", id)
		}
	}
	// Four people committed in the window; bob and cat (last commits in
	// w3, inactive from w5) went inactive in it; ann, inactive in w3, came
	// back, so she did not.
	if r.Contributors != 4 || r.WentInactive != 2 {
		t.Errorf("contributors %d, went inactive %d; want 4 and 2", r.Contributors, r.WentInactive)
	}
	// A week later (w1 to w6): still bob and cat; ann and dan (last
	// commits in w5) are inactive only from w7.
	o := opts
	o.Now = opts.Now.AddDate(0, 0, 7)
	if r := Compute(fixture(), o); r.Contributors != 4 || r.WentInactive != 2 {
		t.Errorf("a week later: contributors %d, went inactive %d; want 4 and 2", r.Contributors, r.WentInactive)
	}
	// Two weeks later (w2 to w7): ann and dan go inactive in w7 as well.
	o.Now = opts.Now.AddDate(0, 0, 14)
	if r := Compute(fixture(), o); r.Contributors != 4 || r.WentInactive != 4 {
		t.Errorf("two weeks later: contributors %d, went inactive %d; want 4 and 4", r.Contributors, r.WentInactive)
	}
	orgs := []Organisation{{"acme.com", 11, 11.0 / 16}, {Unaffiliated, 3, 3.0 / 16}, {"Other Inc", 2, 2.0 / 16}}
	if diff := cmp.Diff(orgs, r.Organisations, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
		t.Errorf("organisations (-want +got):\n%s", diff)
	}
}

func TestForgeMetrics(t *testing.T) {
	in := fixture()
	in.Forge = []catalog.ForgeItem{
		// Opened in w1, answered after 6 hours, approved after 24, merged.
		{Kind: catalog.ItemPullRequest, Number: 1, CreatedAt: monday(1, 9), FirstResponseAt: monday(1, 9).Add(6 * time.Hour),
			MergedAt: monday(1, 10), State: "merged", Reviews: []catalog.Review{{State: "COMMENTED", SubmittedAt: monday(1, 9).Add(6 * time.Hour)}, {State: "APPROVED", SubmittedAt: monday(1, 10)}}},
		// Opened in w4, unanswered, open.
		{Kind: catalog.ItemPullRequest, Number: 2, CreatedAt: monday(1, 30), State: "open"},
		// Opened 1 December, still open at the window's end (12 February): 73 days.
		{Kind: catalog.ItemIssue, Number: 3, CreatedAt: time.Date(2023, 12, 1, 0, 0, 0, 0, time.UTC), State: "open"},
		// Opened in w2, answered after 2 hours, closed.
		{Kind: catalog.ItemIssue, Number: 4, CreatedAt: monday(1, 16), FirstResponseAt: monday(1, 16).Add(2 * time.Hour), ClosedAt: monday(1, 20), State: "closed"},
		{Kind: catalog.ItemRelease, Number: 5, CreatedAt: monday(1, 16)},
	}
	r := Compute(in, opts)
	for id, v := range map[string]float64{MetricFirstResponse: 4, MetricClosureRatio: 0.5, MetricReviewDuration: 24, MetricIssueAge: 73} {
		if m, _ := r.Metric(id); !m.Available || math.Abs(m.Value-v) > 1e-9 {
			t.Errorf("%s = %+v, want %v", id, m, v)
		}
	}
}

func TestEmptyAndEdges(t *testing.T) {
	r := Compute(Input{}, Options{Now: w5})
	if len(r.Weeks) != 52 {
		t.Fatalf("default window = %d weeks", len(r.Weeks))
	}
	for _, id := range []string{MetricAbsenceFactor, MetricElephantFactor, MetricBurstiness, MetricReleaseFrequency} {
		if m, _ := r.Metric(id); m.Available {
			t.Errorf("%s available without commits", id)
		}
	}
	for _, tc := range []struct {
		email string
		want  string
	}{
		{"ann@acme.com", "acme.com"}, {"x@gmail.com", Unaffiliated}, {"1+x@users.noreply.github.com", Unaffiliated},
		{"dan@other.org", "Other Inc"}, {"DAN@OTHER.ORG", "Other Inc"}, {"no-at-sign", Unaffiliated},
		{"boss@acme.com", "Acme Board"},
	} {
		aff := map[string]string{"other.org": "Other Inc", "boss@acme.com": "Acme Board"}
		if got := OrganisationOf(tc.email, aff); got != tc.want {
			t.Errorf("OrganisationOf(%q) = %q, want %q", tc.email, got, tc.want)
		}
	}
	if got := halfFactor(map[string]int{"a": 1, "b": 1, "c": 1, "d": 1}); got != 2 {
		t.Errorf("halfFactor of four equals = %d, want 2", got)
	}
}

func TestOwnedBy(t *testing.T) {
	p := catalog.Project{Owners: []catalog.Owner{{Owner: "@acme/payments"}, {Owner: "group:default/search"}, {Owner: "ann@acme.com"}}}
	for team, want := range map[string]bool{"@acme/payments": true, "@ACME/Payments": true, "payments": true, "search": true,
		"group:search": true, "ann@acme.com": true, "billing": false, "": false} {
		if got := OwnedBy(p, team); got != want {
			t.Errorf("OwnedBy(%q) = %v, want %v", team, got, want)
		}
	}
}
