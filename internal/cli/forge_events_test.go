package cli_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/governance"
	"github.com/ospo-project/ospo/internal/store/sqlite"
)

// TestForgeEvents: pull requests a forge source recorded become review and
// upstream-contribution events through `ospo events derive` (and `ospo
// sync`): an approval by someone of another team of a payments project,
// a pull request merged upstream in a repository an approved contribution
// request covers; the login comes from the configured map or a GitHub
// no-reply address. Deriving again awards nothing twice.
func TestForgeEvents(t *testing.T) {
	db := isolate(t)
	root := t.TempDir()
	at := time.Date(2025, 5, 5, 10, 0, 0, 0, time.UTC)
	market := filepath.Join(root, "market")
	os.MkdirAll(filepath.Join(market, ".github"), 0o755)
	git(t, market, nil, "init", "-q", "-b", "main")
	git(t, market, nil, "remote", "add", "origin", "https://git.example.com/acme/market.git")
	write(t, filepath.Join(market, ".github", "CODEOWNERS"), "* @acme/payments\n")
	write(t, filepath.Join(market, "main.go"), "package main\n\nfunc main() {}\n")
	commit(t, market, "Ann", "ann@acme.example", at.Format(time.RFC3339))
	write(t, filepath.Join(market, "pay.go"), "package main\n\nfunc pay() int { return 1 }\n")
	commit(t, market, "Bob", "1234+bobby@users.noreply.github.com", at.Add(time.Hour).Format(time.RFC3339))
	teamsFile := filepath.Join(root, "teams.yaml")
	write(t, teamsFile, "teams:\n  payments:\n    members: [ann@acme.example]\n  search:\n    members: [bob@acme.example, 1234+bobby@users.noreply.github.com]\n")
	write(t, "ospo.yaml", "events:\n  logins:\n    annie: ann@acme.example\n")
	runSteps(t, []step{
		{args: []string{"teams", "import", teamsFile}},
		{args: []string{"scan", "-q", root}},
	})

	ctx := context.Background()
	st, err := sqlite.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	pr := func(n int64, author string, merged time.Time, reviews ...catalog.Review) catalog.ForgeItem {
		return catalog.ForgeItem{Kind: catalog.ItemPullRequest, Number: n, Title: "change", Author: author, State: "open",
			URL: "https://git.example.com/pr", CreatedAt: at, UpdatedAt: at.Add(48 * time.Hour), MergedAt: merged, Reviews: reviews}
	}
	approve := func(who string) catalog.Review {
		return catalog.Review{Author: who, State: "APPROVED", SubmittedAt: at.Add(24 * time.Hour)}
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(st.ReplaceForgeRepo(ctx, catalog.ForgeRepo{Source: "gh", ID: 1, ProjectKey: "git.example.com/acme/market", FullName: "acme/market"},
		[]string{catalog.ItemPullRequest}, []catalog.ForgeItem{
			pr(1, "annie", time.Time{}, approve("bobby"), approve("annie"), approve("dependabot[bot]")), // bobby (search) reviews payments' change
			pr(2, "bobby", time.Time{}, approve("annie")),                                               // annie owns the project: not another team's
		}))
	must(st.ReplaceForgeRepo(ctx, catalog.ForgeRepo{Source: "gh", ID: 2, ProjectKey: "github.com/kubernetes/kubernetes", FullName: "kubernetes/kubernetes",
		URL: "https://github.com/kubernetes/kubernetes"},
		[]string{catalog.ItemPullRequest}, []catalog.ForgeItem{
			pr(7, "annie", at.Add(72*time.Hour)), pr(8, "annie", time.Time{}), pr(9, "stranger", at.Add(72*time.Hour)),
		}))
	_, err = st.CreateRequest(ctx, governance.Request{Kind: governance.KindContribute, Title: "contribute to Kubernetes",
		Subject: "https://github.com/kubernetes", Requester: "ann@acme.example", State: governance.StateApproved,
		CreatedAt: at, UpdatedAt: at, Details: governance.Details{Scope: governance.ScopeStanding}}, nil)
	must(err)
	st.Close()

	kinds := func(want ...string) func(t *testing.T, out []byte) {
		return func(t *testing.T, out []byte) {
			var got []string
			for _, e := range decode[[]catalog.Event](t, out) {
				if e.Source == catalog.EventForge {
					got = append(got, e.Kind+" "+e.Email)
				}
			}
			if len(got) != len(want) {
				t.Fatalf("forge events = %v, want %v", got, want)
			}
			for i := range want {
				if got[i] != want[i] {
					t.Errorf("event %d = %s, want %s", i, got[i], want[i])
				}
			}
		}
	}
	want := kinds("review 1234+bobby@users.noreply.github.com", "upstream_contribution ann@acme.example")
	runSteps(t, []step{
		{args: []string{"events", "derive"}, stdout: []string{"2 from forge pull requests"}},
		{args: []string{"events", "--format", "json"}, json: want},
		{args: []string{"events", "derive"}, stdout: []string{"0 from forge pull requests"}},
		{args: []string{"events", "--format", "json"}, json: want},
		{args: []string{"badges", "ann@acme.example"}, stdout: []string{"upstream"}},
	})
}
