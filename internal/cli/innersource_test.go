package cli_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/cli"
	"github.com/ospo-project/ospo/internal/innersource"
)

// TestInnerSource scans an estate with one InnerSource project (owned by
// team payments, with a recent commit from a member and one from team
// search) and one internal project, and reads the marketplace and the
// portal export.
func TestInnerSource(t *testing.T) {
	isolate(t)
	root := t.TempDir()
	recent := time.Now().UTC().AddDate(0, 0, -10).Truncate(time.Hour)
	market := filepath.Join(root, "market")
	os.MkdirAll(filepath.Join(market, ".github"), 0o755)
	git(t, market, nil, "init", "-q", "-b", "main")
	git(t, market, nil, "remote", "add", "origin", "git@github.com:acme/market.git")
	write(t, filepath.Join(market, "innersource.json"), `{"title": "Market", "description": "The marketplace of shared payment components", "owners": ["ann@acme.example"]}`)
	write(t, filepath.Join(market, ".github", "CODEOWNERS"), "* @acme/payments\n")
	write(t, filepath.Join(market, "CONTRIBUTING.md"), "# Contributing\n")
	write(t, filepath.Join(market, "main.go"), "package main\n\nfunc main() {}\n")
	commit(t, market, "Ann", "ann@acme.example", recent.Add(-time.Hour).Format(time.RFC3339))
	write(t, filepath.Join(market, "pay.go"), "package main\n\nfunc pay() int { return 1 }\n")
	commit(t, market, "Bob", "bob@acme.example", recent.Format(time.RFC3339))

	plain := filepath.Join(root, "plain")
	os.MkdirAll(plain, 0o755)
	git(t, plain, nil, "init", "-q", "-b", "main")
	write(t, filepath.Join(plain, "app.py"), "print('hi')\n")
	commit(t, plain, "Ann", "ann@acme.example", recent.Format(time.RFC3339))

	teamsFile := filepath.Join(root, "teams.yaml")
	write(t, teamsFile, "teams:\n  payments:\n    members: [ann@acme.example]\n  search:\n    members: [bob@acme.example]\n")

	runSteps(t, []step{
		{args: []string{"innersource"}, stdout: []string{"SCORE", "NAME"}, stderr: []string{"0 InnerSource projects"}},
		{args: []string{"innersource", "export"}, stdout: []string{"[]"}},
		{args: []string{"innersource", "--format", "yaml"}, code: cli.ExitUsage, stderr: []string{"yaml"}},
		{args: []string{"scan", "-q", root}, stdout: []string{"Scanned 2 repositories"}},
		{args: []string{"innersource"}, stdout: []string{"market", "Go", "@acme/payments", "ann@acme.example", "The marketplace"},
			notStdout: []string{"plain"}, stderr: []string{"1 InnerSource projects"}},
		{args: []string{"innersource", "--language", "go", "--team", "payments"}, stdout: []string{"market"}, stderr: []string{"1 InnerSource projects"}},
		{args: []string{"innersource", "--language", "Rust"}, notStdout: []string{"market"}, stderr: []string{"0 InnerSource projects"}},
		{args: []string{"teams", "import", teamsFile}},
		{args: []string{"innersource", "--format", "json"}, json: func(t *testing.T, out []byte) {
			cs := decode[[]innersource.Card](t, out)
			// Participation counts calendar weeks: ten days ago is in one of
			// the last three, depending on the weekday.
			if len(cs) != 1 || cs[0].Name != "market" || cs[0].OtherTeamContributors != 1 || cs[0].Guidelines != "CONTRIBUTING.md" ||
				cs[0].Contributors != 2 || cs[0].Participation[49]+cs[0].Participation[50]+cs[0].Participation[51] != 2 {
				t.Errorf("innersource = %+v, want market with 1 other-team contributor (Bob), guidelines, 2 recent commits", cs)
			}
			// a young, recently updated project with guidelines and a description gets the boost
			if cs[0].Score < 1000 {
				t.Errorf("score = %d, want > 1000 for a project created and updated 10 days ago", cs[0].Score)
			}
		}},
		{args: []string{"innersource", "export"}, json: func(t *testing.T, out []byte) {
			rs := decode[[]innersource.Repo](t, out)
			if len(rs) != 1 || rs[0].FullName != "acme/market" || rs[0].HTMLURL != "https://github.com/acme/market" ||
				rs[0].Language == nil || *rs[0].Language != "Go" || rs[0].Metadata.Guidelines != "CONTRIBUTING.md" || rs[0].Metadata.Score == 0 {
				t.Errorf("export = %+v", rs)
			}
		}},
	})
}
