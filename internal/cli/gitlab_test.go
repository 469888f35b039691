package cli_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/source/gitlab/gitlabtest"
)

// TestGitLabSync runs `ospo sync` against a fake GitLab group (the API
// answering with GitLab's published examples, the projects served by git
// http-backend): the projects are mirrored and scanned, their forge facts
// recorded; a resync reads the project list only and fetches no git data;
// a push is mirrored and rescanned. The token shows up nowhere.
func TestGitLabSync(t *testing.T) {
	srv := gitlabtest.New(t, map[string]string{
		"README.md": "# Example\n\nA project.\n",
		"go.mod":    "module example.com/x\n\ngo 1.22\n",
		"main.go":   "package main\n\nfunc main() {}\n",
	})
	const secret = "glpat-CLIsecret0123456789"
	srv.Token = secret
	db := isolate(t)
	t.Setenv("GL_TOKEN", secret)
	var all bytes.Buffer
	step := func(code int, args ...string) result {
		t.Helper()
		r := run(t, context.Background(), args...)
		all.WriteString(r.stdout + r.stderr)
		if r.code != code {
			t.Fatalf("ospo %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), r.code, code, r.stdout, r.stderr)
		}
		return r
	}
	step(0, "sources", "add", "gitlab", "gl", "--group", gitlabtest.Group, "--api-url", srv.APIURL(), "--token-env", "GL_TOKEN")
	r := step(0, "sources", "list")
	if !strings.Contains(r.stdout, "gl") || !strings.Contains(r.stdout, gitlabtest.Group) {
		t.Errorf("sources list:\n%s", r.stdout)
	}
	r = step(0, "sync")
	for _, want := range []string{"gl (gitlab): ok, 18 requests", "3 projects, 3 with activity since the last sync",
		"API budget 1982/2000", "Mirrored 3 repositories", "3 scanned"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("sync output lacks %q:\n%s", want, r.stdout)
		}
	}
	r = step(0, "projects")
	for _, want := range []string{"html5-boilerplate", "typeahead-js", "flight"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("projects lacks %s:\n%s", want, r.stdout)
		}
	}

	// Unchanged: the project list's two pages, nothing from git.
	apiBefore, gitBefore := srv.Requests(), srv.Git.Requests.Load()
	r = step(0, "sources", "sync", "gl")
	if got := srv.Requests() - apiBefore; got != 2 {
		t.Errorf("resync sent %d API requests, want 2", got)
	}
	if got := srv.Git.Requests.Load() - gitBefore; got != 0 {
		t.Errorf("resync made %d git requests, want 0", got)
	}
	if strings.Contains(r.stdout, "Mirrored") {
		t.Errorf("resync output:\n%s", r.stdout)
	}

	// A push is fetched and scanned.
	srv.Push(t, gitlabtest.Busy, map[string]string{"CONTRIBUTING.md": "Send patches.\n"}, time.Now())
	r = step(0, "sources", "sync", "gl")
	if !strings.Contains(r.stdout, "Mirrored 1 repositories") || !strings.Contains(r.stdout, "1 scanned") {
		t.Errorf("sync after a push:\n%s", r.stdout)
	}

	places := map[string][]byte{"outputs": all.Bytes()}
	for _, suffix := range []string{"", "-wal"} {
		b, _ := os.ReadFile(db + suffix)
		places["store"+suffix] = b
	}
	cfg, _ := os.ReadFile("ospo.yaml")
	places["ospo.yaml"] = cfg
	for where, b := range places {
		if bytes.Contains(b, []byte(secret)) {
			t.Errorf("the token is in the %s", where)
		}
	}
}
