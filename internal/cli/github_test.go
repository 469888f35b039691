package cli_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/source/github/githubtest"
)

// TestGitHubSync runs `ospo sync` against a fake GitHub organisation (the
// API answering with GitHub's published examples, the repository served by
// git http-backend): the repository is mirrored and scanned, its forge
// facts recorded; a resync sends one conditional request and fetches no
// git data; a push is mirrored and rescanned.
func TestGitHubSync(t *testing.T) {
	srv := githubtest.New(t, map[string]string{
		"README.md": "# Hello World\n\nThe first repository.\n",
		"go.mod":    "module example.com/hello\n\ngo 1.22\n",
		"main.go":   "package main\n\nfunc main() {}\n",
	})
	const secret = "ghp_CLIsecret0123456789"
	srv.Token = secret
	db := isolate(t)
	t.Setenv("GH_TOKEN", secret)
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
	step(0, "sources", "add", "github", "gh", "--org", githubtest.Org, "--api-url", srv.URL, "--token-env", "GH_TOKEN")
	r := step(0, "sync")
	for _, want := range []string{"gh (github): ok, 5 requests (0 not modified), 1 repositories, 1 pushed since the last sync",
		"API budget 4995/5000", "Mirrored 1 repositories", "1 scanned"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("sync output lacks %q:\n%s", want, r.stdout)
		}
	}
	r = step(0, "projects")
	if !strings.Contains(r.stdout, "hello-world") {
		t.Errorf("projects:\n%s", r.stdout)
	}
	r = step(0, "export", "backstage")
	for _, want := range []string{"name: hello-world", "ospo.dev/project-key: 127.0.0.1/octocat/hello-world"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("export lacks %q:\n%s", want, r.stdout)
		}
	}

	// Unchanged: one request answered 304, nothing fetched from git.
	apiBefore, gitBefore := srv.Requests(), srv.Git.Requests.Load()
	r = step(0, "sources", "sync", "gh")
	if got := srv.Requests() - apiBefore; got != 1 {
		t.Errorf("resync sent %d API requests, want 1", got)
	}
	if got := srv.Git.Requests.Load() - gitBefore; got != 0 {
		t.Errorf("resync made %d git requests, want 0", got)
	}
	if !strings.Contains(r.stdout, "1 requests (1 not modified)") || strings.Contains(r.stdout, "Mirrored") {
		t.Errorf("resync output:\n%s", r.stdout)
	}

	// A push is fetched and scanned.
	srv.Push(t, map[string]string{"CONTRIBUTING.md": "Send patches.\n"}, time.Now())
	r = step(0, "sources", "sync", "gh")
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

// TestGitHubAppSync syncs as a GitHub App installation configured with
// `ospo sources add github --app-id … --private-key-file …`: the API and git
// (which requires the installation token) both work, and neither the
// private key nor the installation token lands in the outputs, the
// configuration or the store.
func TestGitHubAppSync(t *testing.T) {
	srv := githubtest.New(t, map[string]string{"README.md": "# Hello\n", "go.mod": "module example.com/hello\n\ngo 1.22\n"})
	key := srv.InstallApp(t, 4242, 77)
	srv.Git.Auth = "Basic " + base64.StdEncoding.EncodeToString([]byte("x-access-token:"+githubtest.InstallationToken))
	db := isolate(t)
	keyFile := filepath.Join(t.TempDir(), "app.pem")
	if err := os.WriteFile(keyFile, key, 0o600); err != nil {
		t.Fatal(err)
	}
	var all bytes.Buffer
	for _, args := range [][]string{
		{"sources", "add", "github", "app", "--org", githubtest.Org, "--api-url", srv.URL, "--app-id", "4242",
			"--installation-id", "77", "--private-key-file", keyFile},
		{"sync"},
	} {
		r := run(t, context.Background(), args...)
		all.WriteString(r.stdout + r.stderr)
		if r.code != 0 {
			t.Fatalf("ospo %s: exit %d\n%s%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
		}
	}
	for _, want := range []string{"app (github): ok, 5 requests", "Mirrored 1 repositories", "1 scanned"} {
		if !strings.Contains(all.String(), want) {
			t.Errorf("sync output lacks %q:\n%s", want, all.String())
		}
	}
	if srv.TokensIssued() != 1 {
		t.Errorf("%d installation tokens asked for, want 1", srv.TokensIssued())
	}
	places := map[string][]byte{"outputs": all.Bytes()}
	for _, suffix := range []string{"", "-wal"} {
		b, _ := os.ReadFile(db + suffix)
		places["store"+suffix] = b
	}
	cfg, _ := os.ReadFile("ospo.yaml")
	places["ospo.yaml"] = cfg
	for where, b := range places {
		if bytes.Contains(b, []byte(githubtest.InstallationToken)) || bytes.Contains(b, []byte("PRIVATE KEY")) {
			t.Errorf("a secret is in the %s", where)
		}
	}
}

// TestGitHubRename renames the repository on the fake GitHub (same id, new
// name): the next sync moves the mirror rather than cloning again, and the
// scanned project keeps its ID under the new key, so the estate still has
// one project.
func TestGitHubRename(t *testing.T) {
	srv := githubtest.New(t, map[string]string{"README.md": "# Hello\n", "go.mod": "module example.com/hello\n\ngo 1.22\n"})
	isolate(t)
	step := func(args ...string) result {
		t.Helper()
		r := run(t, context.Background(), args...)
		if r.code != 0 {
			t.Fatalf("ospo %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
		}
		return r
	}
	projects := func() []struct {
		ID  int64  `json:"id"`
		Key string `json:"key"`
	} {
		t.Helper()
		var ps []struct {
			ID  int64  `json:"id"`
			Key string `json:"key"`
		}
		if err := json.Unmarshal([]byte(step("projects", "--format", "json").stdout), &ps); err != nil {
			t.Fatal(err)
		}
		return ps
	}
	step("sources", "add", "github", "gh", "--org", githubtest.Org, "--api-url", srv.URL)
	step("sync")
	before := projects()
	if len(before) != 1 || before[0].Key != "127.0.0.1/octocat/hello-world" {
		t.Fatalf("projects after the first sync: %+v", before)
	}
	srv.Rename(t, "octo-org/hello-universe")
	gitBefore := srv.Git.Requests.Load()
	r := step("sources", "sync", "gh")
	if !strings.Contains(r.stdout, "1 scanned") {
		t.Errorf("sync after the rename:\n%s%s", r.stdout, r.stderr)
	}
	after := projects()
	if len(after) != 1 || after[0].ID != before[0].ID || after[0].Key != "127.0.0.1/octo-org/hello-universe" {
		t.Errorf("projects after the rename: %+v, want one with ID %d and the new key", after, before[0].ID)
	}
	mirrors := filepath.Join(filepath.Dir(os.Getenv("OSPO_DB")), "mirrors", "gh")
	if _, err := os.Stat(filepath.Join(mirrors, "octocat", "Hello-World.git")); !os.IsNotExist(err) {
		t.Errorf("the old mirror is still there: %v", err)
	}
	// A fetch (ref discovery and maybe a pack), not a clone of the whole
	// repository into a new mirror.
	if got := srv.Git.Requests.Load() - gitBefore; got > 2 {
		t.Errorf("the rename cost %d git requests", got)
	}
}
