package hub_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/innersource"
)

func TestInnerSource(t *testing.T) { eachStore(t, testInnerSource) }

// testInnerSource serves an InnerSource project beside the fixture's
// internal ones: the page lists it alone, escaped, and the API returns its
// card with the other-team contributor counted from the memberships.
func testInnerSource(t *testing.T, open opener) {
	f := newFixture(t, open)
	ctx := context.Background()
	recent := time.Now().UTC().AddDate(0, 0, -7)
	week := []catalog.WeekActivity{{Week: catalog.WeekOf(recent), Commits: 1}}
	market := &catalog.Project{
		Key: "github.com/acme/market", Name: "market", Path: "/src/market",
		RemoteURL: "https://github.com/acme/market.git", HeadCommit: strings.Repeat("c", 40), HeadDate: recent,
		Description: `Shared <script>alert(9)</script> components`, Kind: catalog.KindInnerSource,
		Languages: []catalog.Language{{Name: "Go", Bytes: 10, Files: 1}},
		Owners:    []catalog.Owner{{Owner: "@acme/payments", Source: catalog.OwnerCodeowners, Path: "CODEOWNERS", Pattern: "*"}},
		Files:     []catalog.FileFact{{Kind: catalog.FileContributing, Path: "CONTRIBUTING.md"}},
		Contributors: []catalog.Contribution{
			{Identity: catalog.Identity{Name: "Ann", Email: "ann@example.com"}, Commits: 1, FirstCommit: recent, LastCommit: recent, Weeks: week},
			{Identity: catalog.Identity{Name: "Ole", Email: "ole@example.com"}, Commits: 1, FirstCommit: recent, LastCommit: recent, Weeks: week},
		},
		Commits: 2, ScannerVersion: catalog.ScannerVersion, ScannedAt: recent,
	}
	if _, err := f.st.ReplaceProject(ctx, market); err != nil {
		t.Fatal(err)
	}
	if err := f.st.ReplaceMemberships(ctx, catalog.MemberFile, []catalog.Membership{
		{Team: "payments", Email: "ann@example.com", Source: catalog.MemberFile},
		{Team: "search", Email: "ole@example.com", Source: catalog.MemberFile},
	}, nil); err != nil {
		t.Fatal(err)
	}
	srv := newServer(t, f.st)

	page := do(t, srv, http.MethodGet, "/innersource")
	if page.status != http.StatusOK {
		t.Fatalf("GET /innersource = %d", page.status)
	}
	for _, want := range []string{"market", "Shared &lt;script&gt;alert(9)&lt;/script&gt; components", "@acme/payments", "CONTRIBUTING.md", "https://github.com/acme/market"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("/innersource lacks %q", want)
		}
	}
	for _, not := range []string{"<script>alert(9)", ">alpha<"} {
		if strings.Contains(page.body, not) {
			t.Errorf("/innersource has %q", not)
		}
	}

	// The search: by language, skill or topic, team and words, on the page
	// and in the API; the form offers the cards' values.
	for _, want := range []string{`<option>Go</option>`, `<option>@acme/payments</option>`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("/innersource lacks %q", want)
		}
	}
	for _, tc := range []struct {
		query string
		found bool
	}{
		{"language=go", true}, {"language=Rust", false}, {"language=Go&team=%40acme%2Fpayments", true}, {"team=payments", true}, {"team=search", false},
		{"q=shared+components", true}, {"q=shared+ledger", false}, {"topic=react", false},
	} {
		page := do(t, srv, http.MethodGet, "/innersource?"+tc.query)
		if page.status != http.StatusOK || strings.Contains(page.body, "market</a>") != tc.found ||
			tc.found != strings.Contains(page.body, "1 of 1 projects match") {
			t.Errorf("GET /innersource?%s = %d, lists market: %v, want %v", tc.query, page.status, !tc.found, tc.found)
		}
		res := do(t, srv, http.MethodGet, "/api/v1/innersource?"+tc.query)
		var cs []innersource.Card
		if err := json.Unmarshal([]byte(res.body), &cs); err != nil || res.status != http.StatusOK || (len(cs) == 1) != tc.found {
			t.Errorf("GET /api/v1/innersource?%s = %d %s, want market: %v", tc.query, res.status, res.body, tc.found)
		}
	}
	if page := do(t, srv, http.MethodGet, "/innersource?q=%3Cscript%3Ealert(1)%3C/script%3E"); strings.Contains(page.body, "<script>alert(1)") {
		t.Error("/innersource echoes the search unescaped")
	}

	res := do(t, srv, http.MethodGet, "/api/v1/innersource")
	if res.status != http.StatusOK {
		t.Fatalf("GET /api/v1/innersource = %d: %s", res.status, res.body)
	}
	var cs []innersource.Card
	if err := json.Unmarshal([]byte(res.body), &cs); err != nil {
		t.Fatal(err)
	}
	// Participation counts calendar weeks: a week ago (and an hour before)
	// is in one of the last three, depending on the weekday and hour.
	if len(cs) != 1 || cs[0].Name != "market" || cs[0].OtherTeamContributors != 1 || cs[0].Participation[49]+cs[0].Participation[50]+cs[0].Participation[51] != 2 || cs[0].Score < 1000 {
		t.Errorf("api innersource = %+v, want market alone, 1 other-team contributor (ole), 2 commits in the last two weeks, a young project's boost", cs)
	}
}
