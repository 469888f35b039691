package cli_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/hub/estate"
)

// TestHelpPosts: a maintainer (by CODEOWNERS team) asks for help on the
// command line; another team's developer may not; the listing matches a
// person who knows the skill; a closed post is hidden; errors are clear.
func TestHelpPosts(t *testing.T) {
	isolate(t)
	root := t.TempDir()
	at := time.Now().UTC().AddDate(0, 0, -10)
	market := filepath.Join(root, "market")
	os.MkdirAll(filepath.Join(market, ".github"), 0o755)
	git(t, market, nil, "init", "-q", "-b", "main")
	write(t, filepath.Join(market, ".github", "CODEOWNERS"), "* @acme/payments\n")
	write(t, filepath.Join(market, "main.go"), "package main\n\nfunc main() {}\n")
	commit(t, market, "Ann", "ann@acme.example", at.Format(time.RFC3339))
	write(t, filepath.Join(market, "pay.go"), "package main\n\nfunc pay() int { return 1 }\n")
	commit(t, market, "Ole", "ole@acme.example", at.Add(time.Hour).Format(time.RFC3339))
	teamsFile := filepath.Join(root, "teams.yaml")
	write(t, teamsFile, "teams:\n  payments:\n    members: [ann@acme.example]\n  search:\n    members: [ole@acme.example, sam@acme.example]\n")
	ends := time.Now().UTC().AddDate(0, 1, 0).Format(time.DateOnly)
	post := func(as string) []string {
		return []string{"innersource", "help", "post", "market", "--title", "Port the CLI to cobra", "--skills", "Go,cobra",
			"--size", "small", "--ends", ends, "--as", as}
	}
	runSteps(t, []step{
		{args: []string{"teams", "import", teamsFile}},
		{args: []string{"scan", "-q", root}},
		{args: []string{"users", "add", "ann@acme.example"}},
		{args: []string{"users", "add", "sam@acme.example"}},
		{args: []string{"innersource", "help"}, stderr: []string{"0 open help posts"}},
		{args: post("sam@acme.example"), code: 2, stderr: []string{"only the project's maintainers (or the OSPO) may do this"}},
		{args: post("nobody@acme.example"), code: 2, stderr: []string{"no account nobody@acme.example"}},
		{args: []string{"innersource", "help", "post", "market", "--title", "x", "--size", "tiny", "--ends", ends, "--as", "ann@acme.example"},
			code: 2, stderr: []string{`size "tiny" is not one of small, medium, large`}},
		{args: []string{"innersource", "help", "post", "market", "--title", "x", "--size", "small", "--ends", "soon", "--as", "ann@acme.example"},
			code: 2, stderr: []string{"the end date must be a day, YYYY-MM-DD"}},
		{args: post("ann@acme.example"), stdout: []string{"help post 1 for market, open until " + ends}},
		{args: []string{"innersource", "help", "--format", "json"}, json: func(t *testing.T, out []byte) {
			hs := decode[[]estate.HelpWanted](t, out)
			if len(hs) != 1 || hs[0].Title != "Port the CLI to cobra" || hs[0].Author != "ann@acme.example" {
				t.Fatalf("posts %+v", hs)
			}
			if len(hs[0].Helpers) != 1 || hs[0].Helpers[0].Email != "ole@acme.example" {
				t.Errorf("helpers %+v, want Ole (knows Go; Ann wrote the post)", hs[0].Helpers)
			}
		}},
		{args: []string{"innersource", "help", "market"}, stdout: []string{"Port the CLI to cobra", "Ole <ole@acme.example>"}},
		{args: []string{"innersource", "help", "close", "1", "--as", "sam@acme.example"}, code: 2, stderr: []string{"only the project's maintainers"}},
		{args: []string{"innersource", "help", "close", "1", "--as", "ann@acme.example"}, stdout: []string{"help post 1 of market closed"}},
		{args: []string{"innersource", "help"}, stderr: []string{"0 open help posts"}},
		{args: []string{"audit", "export"}, stdout: []string{"help.post", "help.close"}},
	})
}
