package mirror_test

import (
	"context"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ospo-project/ospo/internal/mirror"
	"github.com/ospo-project/ospo/internal/mirror/mirrortest"
)

func TestSyncClonesThenFetches(t *testing.T) {
	srv := mirrortest.Serve(t, t.TempDir())
	bare := mirrortest.AddRepo(t, srv.Root, "acme/hello", map[string]string{"README.md": "# hello\n"})
	const token = "ghp_s3cr3tTOKENvalue"
	srv.Auth = "Basic " + base64.StdEncoding.EncodeToString([]byte("x-access-token:"+token))
	dir := t.TempDir()
	r := mirror.Repo{FullName: "acme/hello", CloneURL: srv.URL + "/acme/hello.git", Token: token}

	path, err := mirror.Sync(context.Background(), dir, r)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "acme", "hello.git"); path != want {
		t.Errorf("path = %s, want %s", path, want)
	}
	head := mirrortest.Git(t, path, "rev-parse", "refs/heads/main")
	if want := mirrortest.Git(t, bare, "rev-parse", "refs/heads/main"); head != want {
		t.Errorf("mirror main = %s, want %s", head, want)
	}
	if url := mirrortest.Git(t, path, "config", "remote.origin.url"); url != r.CloneURL {
		t.Errorf("origin = %q, want the clone URL %q", url, r.CloneURL)
	}
	cfg, _ := os.ReadFile(filepath.Join(path, "config"))
	if strings.Contains(string(cfg), token) || strings.Contains(string(cfg), "extraHeader") {
		t.Errorf("the mirror's config holds the credentials:\n%s", cfg)
	}

	// A new commit upstream arrives with the next Sync.
	mirrortest.Commit(t, bare, "second", map[string]string{"main.go": "package main\n"})
	if _, err := mirror.Sync(context.Background(), dir, r); err != nil {
		t.Fatal(err)
	}
	if got, want := mirrortest.Git(t, path, "rev-parse", "refs/heads/main"), mirrortest.Git(t, bare, "rev-parse", "refs/heads/main"); got != want {
		t.Errorf("after fetch main = %s, want %s", got, want)
	}
}

func TestSyncErrors(t *testing.T) {
	srv := mirrortest.Serve(t, t.TempDir())
	mirrortest.AddRepo(t, srv.Root, "acme/hello", map[string]string{"a": "b"})
	const token = "ghp_wrongTOKENvalue"
	srv.Auth = "Basic right"
	dir := t.TempDir()
	for name, r := range map[string]mirror.Repo{
		"bad credentials":    {FullName: "acme/hello", CloneURL: srv.URL + "/acme/hello.git", Token: token},
		"missing":            {FullName: "acme/missing", CloneURL: srv.URL + "/acme/missing.git"},
		"unsafe name":        {FullName: "../etc", CloneURL: srv.URL + "/acme/hello.git"},
		"dot segment":        {FullName: "acme/./hello", CloneURL: srv.URL + "/acme/hello.git"},
		"dot-dot segment":    {FullName: "acme/sub/../../etc", CloneURL: srv.URL + "/acme/hello.git"},
		"absolute":           {FullName: "/etc/passwd", CloneURL: srv.URL + "/acme/hello.git"},
		"file URL":           {FullName: "acme/x", CloneURL: "file:///etc"},
		"ssh URL":            {FullName: "acme/x", CloneURL: "ssh://git@example.com/acme/x.git"},
		"credentials in URL": {FullName: "acme/x", CloneURL: "https://user:pw@example.com/acme/x.git"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := mirror.Sync(context.Background(), dir, r)
			if err == nil {
				t.Fatal("no error")
			}
			if strings.Contains(err.Error(), token) {
				t.Errorf("the error shows the token: %v", err)
			}
		})
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "acme"))
	for _, e := range entries {
		t.Errorf("a failed clone left %s behind", e.Name())
	}
}

// TestNestedGroups mirrors a project of a GitLab subgroup
// (group/subgroup/name) and keeps .github-style names.
func TestNestedGroups(t *testing.T) {
	srv := mirrortest.Serve(t, t.TempDir())
	dir := t.TempDir()
	for _, name := range []string{"acme/platform/tools/hello", "acme/.github"} {
		mirrortest.AddRepo(t, srv.Root, name, map[string]string{"a": "b"})
		path, err := mirror.Sync(context.Background(), dir, mirror.Repo{FullName: name, CloneURL: srv.URL + "/" + name + ".git"})
		if err != nil {
			t.Fatal(err)
		}
		if want := filepath.Join(dir, filepath.FromSlash(name)+".git"); path != want {
			t.Errorf("mirror of %s at %s, want %s", name, path, want)
		}
		if _, err := os.Stat(filepath.Join(path, "HEAD")); err != nil {
			t.Errorf("mirror of %s: %v", name, err)
		}
	}
}
