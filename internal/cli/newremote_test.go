package cli_test

import (
	"context"
	"encoding/base64"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ospo-project/ospo/internal/source/github/githubtest"
)

// TestNewOnForge creates a repository with `ospo new --source` against a
// fake GitHub (the API answering with GitHub's published examples, git
// served by git http-backend that demands the token): the forge creates
// it, the first commit is pushed with the token (which is in no file, no
// output and no command line), the next sync mirrors and scans it. A name
// the forge has, a token it refuses and a push it refuses are clear
// errors: the first two leave nothing behind, the third says what exists.
func TestNewOnForge(t *testing.T) {
	srv := githubtest.New(t, map[string]string{"README.md": "# Hello\n"})
	const secret = "ghp_NEWsecret0123456789"
	srv.Token = secret
	srv.Git.Auth = "Basic " + base64.StdEncoding.EncodeToString([]byte("x-access-token:"+secret))
	isolate(t)
	work, _ := os.Getwd()
	t.Setenv("GH_TOKEN", secret)
	step := func(code int, args ...string) result {
		t.Helper()
		r := run(t, context.Background(), args...)
		if r.code != code {
			t.Fatalf("ospo %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), r.code, code, r.stdout, r.stderr)
		}
		if strings.Contains(r.stdout+r.stderr, secret) {
			t.Errorf("ospo %s shows the token:\n%s%s", strings.Join(args, " "), r.stdout, r.stderr)
		}
		return r
	}
	step(0, "sources", "add", "github", "gh", "--org", githubtest.Org, "--api-url", srv.URL, "--token-env", "GH_TOKEN")

	r := step(0, "new", "library", "payments", "--set", "module=example.com/payments", "--source", "gh", "--private")
	if !strings.Contains(r.stderr, "created "+srv.Git.URL+"/octocat/payments on gh") {
		t.Errorf("stderr does not say where the repository was created:\n%s", r.stderr)
	}
	if got := srv.Created(); !slices.Equal(got, []string{"octocat/payments"}) {
		t.Errorf("created on the forge: %v", got)
	}
	bare := filepath.Join(srv.Git.Root, "octocat", "payments.git")
	if out, err := exec.Command("git", "-C", bare, "log", "--format=%s", "main").Output(); err != nil || !strings.Contains(string(out), "golden path") {
		t.Errorf("the forge's main: %q, %v; want the first commit", out, err)
	}
	local := filepath.Join(work, "payments")
	if out, _ := exec.Command("git", "-C", local, "remote", "get-url", "origin").Output(); strings.TrimSpace(string(out)) != srv.Git.URL+"/octocat/payments.git" {
		t.Errorf("origin = %q", out)
	}
	if b, err := os.ReadFile(filepath.Join(local, ".git", "config")); err != nil || strings.Contains(string(b), secret) ||
		strings.Contains(string(b), base64.StdEncoding.EncodeToString([]byte("x-access-token:"+secret))) {
		t.Errorf("the local configuration holds the token (or cannot be read: %v):\n%s", err, b)
	}
	// The next sync mirrors and scans it, as a repository of the source.
	sync := step(0, "sync")
	if r := step(0, "projects"); !strings.Contains(r.stdout, "payments") {
		t.Errorf("projects after the sync lack the new repository:\n%s\nsync:\n%s%s", r.stdout, sync.stdout, sync.stderr)
	}

	// The forge has the name: nothing is left here or there.
	r = step(2, "new", "library", "Hello-World", "--set", "module=example.com/hw", "--source", "gh")
	if !strings.Contains(r.stderr, "a repository named Hello-World exists already") {
		t.Errorf("name taken: %s", r.stderr)
	}
	if _, err := os.Stat(filepath.Join(work, "Hello-World")); !os.IsNotExist(err) {
		t.Errorf("a refused creation left ./Hello-World: %v", err)
	}
	// Not a forge source.
	r = step(2, "new", "library", "x1", "--set", "module=example.com/x1", "--source", "nope")
	if !strings.Contains(r.stderr, "no such source") {
		t.Errorf("unknown source: %s", r.stderr)
	}
	// A token the forge refuses.
	t.Setenv("GH_TOKEN", "ghp_wrong0123456789")
	r = step(2, "new", "library", "x2", "--set", "module=example.com/x2", "--source", "gh")
	if !strings.Contains(r.stderr, "token was refused") || strings.Contains(r.stderr, "ghp_wrong0123456789") {
		t.Errorf("token refused: %s", r.stderr)
	}
	if _, err := os.Stat(filepath.Join(work, "x2")); !os.IsNotExist(err) {
		t.Errorf("a refused creation left ./x2: %v", err)
	}
	// The forge creates it but git refuses the push: what exists is said
	// and the local repository kept.
	t.Setenv("GH_TOKEN", secret)
	srv.Git.Auth = "Basic other"
	r = step(2, "new", "library", "x3", "--set", "module=example.com/x3", "--source", "gh")
	if !strings.Contains(r.stderr, "was created on the forge and the local repository kept") {
		t.Errorf("push refused: %s", r.stderr)
	}
	if _, err := os.Stat(filepath.Join(work, "x3", ".git")); err != nil {
		t.Errorf("the local repository was not kept: %v", err)
	}
}
