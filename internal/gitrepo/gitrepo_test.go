package gitrepo

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestOpenLayouts(t *testing.T) {
	src := newRepo(t, map[string]string{"README.md": "hello\n"})
	base := filepath.Dir(src)
	run(t, base, "clone", "-q", "--bare", src, "bare.git")
	run(t, src, "worktree", "add", "-q", "-b", "feature", filepath.Join(base, "wt"))

	// A submodule-style checkout: .git is a file with a relative gitdir.
	if err := os.MkdirAll(filepath.Join(base, "modules"), 0o755); err != nil {
		t.Fatal(err)
	}
	run(t, base, "clone", "-q", "--separate-git-dir", filepath.Join(base, "modules", "sub"), src, "subcheckout")
	write(t, base, "relgit/.git", "gitdir: ../modules/sub\r\n")

	tests := []struct {
		name                   string
		path                   string
		wantGitDir, wantCommon string
		wantWorkTree           string
		wantBare               bool
	}{
		{"work tree", src, filepath.Join(src, ".git"), filepath.Join(src, ".git"), src, false},
		{"bare", filepath.Join(base, "bare.git"), filepath.Join(base, "bare.git"), filepath.Join(base, "bare.git"), "", true},
		{"linked worktree", filepath.Join(base, "wt"), filepath.Join(src, ".git", "worktrees", "wt"), filepath.Join(src, ".git"), filepath.Join(base, "wt"), false},
		{"gitdir file", filepath.Join(base, "subcheckout"), filepath.Join(base, "modules", "sub"), filepath.Join(base, "modules", "sub"), filepath.Join(base, "subcheckout"), false},
		{"relative gitdir file", filepath.Join(base, "relgit"), filepath.Join(base, "modules", "sub"), filepath.Join(base, "modules", "sub"), filepath.Join(base, "relgit"), false},
		{"linked worktree git dir itself", filepath.Join(src, ".git", "worktrees", "wt"), filepath.Join(src, ".git", "worktrees", "wt"), filepath.Join(src, ".git"), filepath.Join(base, "wt"), false},
		{".git directory itself", filepath.Join(src, ".git"), filepath.Join(src, ".git"), filepath.Join(src, ".git"), src, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mustOpen(t, tt.path)
			if r.Dir != tt.path {
				t.Errorf("Dir = %q, want %q", r.Dir, tt.path)
			}
			if want := realPath(t, tt.wantGitDir); r.GitDir != want {
				t.Errorf("GitDir = %q, want %q", r.GitDir, want)
			}
			if want := realPath(t, tt.wantCommon); r.CommonDir != want {
				t.Errorf("CommonDir = %q, want %q", r.CommonDir, want)
			}
			wantWT := tt.wantWorkTree
			if wantWT != "" {
				wantWT = realPath(t, wantWT)
			}
			if r.WorkTree != wantWT {
				t.Errorf("WorkTree = %q, want %q", r.WorkTree, wantWT)
			}
			if r.Bare != tt.wantBare {
				t.Errorf("Bare = %v, want %v", r.Bare, tt.wantBare)
			}
			// Every layout serves git commands too.
			tree, err := r.Tree(context.Background(), TreeOptions{})
			if err != nil {
				t.Fatal(err)
			}
			defer tree.Close()
			if got, err := tree.ReadFile("README.md", 100); err != nil || string(got) != "hello\n" {
				t.Errorf("ReadFile(README.md) = %q, %v", got, err)
			}
		})
	}
}

func TestOpenRelativePath(t *testing.T) {
	src := newRepo(t, map[string]string{"a": "a"})
	t.Chdir(filepath.Dir(src))
	r := mustOpen(t, "repo")
	if r.Dir != "repo" || r.GitDir != realPath(t, filepath.Join(src, ".git")) {
		t.Errorf("Open(repo) = Dir %q GitDir %q", r.Dir, r.GitDir)
	}
}

func TestOpenErrors(t *testing.T) {
	tmp := t.TempDir()
	write(t, tmp, "plain/file.txt", "x")
	write(t, tmp, "afile", "x")
	write(t, tmp, "badgitfile/.git", "not a gitdir line\n")
	write(t, tmp, "danglinggitfile/.git", "gitdir: ../nowhere\n")
	if err := os.MkdirAll(filepath.Join(tmp, "dangling-link"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(tmp, "gone"), filepath.Join(tmp, "dangling-link", ".git")); err != nil {
		t.Fatal(err)
	}

	garbage := newRepo(t, map[string]string{"a": "a"})
	write(t, garbage, ".git/HEAD", "\x00\x01garbage that is not a ref\n")
	escape := newRepo(t, map[string]string{"a": "a"})
	write(t, escape, ".git/HEAD", "ref: refs/../../../../etc/passwd\n")
	noHead := newRepo(t, map[string]string{"a": "a"})
	if err := os.Remove(filepath.Join(noHead, ".git", "HEAD")); err != nil {
		t.Fatal(err)
	}
	noObjects := newRepo(t, map[string]string{"a": "a"})
	if err := os.RemoveAll(filepath.Join(noObjects, ".git", "objects")); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name    string
		path    string
		want    error
		wantMsg string
	}{
		{"plain directory", filepath.Join(tmp, "plain"), ErrNotRepository, "no .git and not a bare repository"},
		{"a file", filepath.Join(tmp, "afile"), ErrNotRepository, "not a directory"},
		{"missing", filepath.Join(tmp, "missing"), os.ErrNotExist, "no such file"},
		{"bad .git file", filepath.Join(tmp, "badgitfile"), ErrCorrupt, `does not start with "gitdir: "`},
		{".git file pointing nowhere", filepath.Join(tmp, "danglinggitfile"), ErrCorrupt, "git directory"},
		{".git dangling symlink", filepath.Join(tmp, "dangling-link"), ErrCorrupt, "dangling symbolic link"},
		{"garbage HEAD", garbage, ErrCorrupt, "HEAD is neither"},
		{"HEAD escaping refs", escape, ErrCorrupt, "HEAD is neither"},
		{"no HEAD", noHead, ErrCorrupt, "lacks HEAD"},
		{"no objects", noObjects, ErrCorrupt, "lacks objects"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Open(tt.path)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Open(%s) = %v, %v; want error wrapping %v", tt.path, r, err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) || !strings.Contains(err.Error(), tt.path) {
				t.Errorf("Open error %q does not name the path and contain %q", err, tt.wantMsg)
			}
		})
	}
}

func TestHead(t *testing.T) {
	ctx := context.Background()
	src := newRepo(t, map[string]string{"README.md": "hello\n"})
	base := filepath.Dir(src)
	first := run(t, src, "rev-parse", "HEAD")
	write(t, src, "second.txt", "2")
	run(t, src, "add", "second.txt")
	run(t, src, "commit", "-q", "-m", "second")
	second := run(t, src, "rev-parse", "HEAD")
	run(t, src, "tag", "-a", "-m", "v1", "v1")

	run(t, base, "clone", "-q", "--bare", src, "bare.git")
	run(t, src, "worktree", "add", "-q", "-b", "feature", filepath.Join(base, "wt"))
	write(t, filepath.Join(base, "wt"), "feature.txt", "f")
	run(t, filepath.Join(base, "wt"), "add", "feature.txt")
	run(t, filepath.Join(base, "wt"), "commit", "-q", "-m", "feature")
	feature := run(t, filepath.Join(base, "wt"), "rev-parse", "HEAD")
	run(t, src, "worktree", "add", "-q", "--detach", filepath.Join(base, "wt-detached"), first)

	packed := filepath.Join(base, "packed")
	run(t, base, "clone", "-q", src, packed)
	run(t, packed, "pack-refs", "--all")
	if _, err := os.Stat(filepath.Join(packed, ".git", "refs", "heads", "main")); !os.IsNotExist(err) {
		t.Fatalf("pack-refs left a loose ref: %v", err)
	}
	if data, _ := os.ReadFile(filepath.Join(packed, ".git", "packed-refs")); !strings.Contains(string(data), "\n^") {
		t.Fatalf("packed-refs has no peeled line:\n%s", data)
	}

	detached := filepath.Join(base, "detached")
	run(t, base, "clone", "-q", src, detached)
	run(t, detached, "checkout", "-q", "--detach", first)

	symref := filepath.Join(base, "symref")
	run(t, base, "clone", "-q", src, symref)
	run(t, symref, "symbolic-ref", "refs/heads/alias", "refs/heads/main")
	run(t, symref, "symbolic-ref", "HEAD", "refs/heads/alias")

	tests := []struct {
		name       string
		path       string
		wantCommit string
		wantBranch string
	}{
		{"work tree", src, second, "main"},
		{"bare clone (packed refs)", filepath.Join(base, "bare.git"), second, "main"},
		{"linked worktree", filepath.Join(base, "wt"), feature, "feature"},
		{"linked worktree detached", filepath.Join(base, "wt-detached"), first, ""},
		{"pack-refs --all", packed, second, "main"},
		{"detached", detached, first, ""},
		{"symbolic ref chain", symref, second, "main"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mustOpen(t, tt.path)
			commit, branch, err := r.Head(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if commit != tt.wantCommit || branch != tt.wantBranch {
				t.Errorf("Head = %s %q, want %s %q", commit, branch, tt.wantCommit, tt.wantBranch)
			}
			// The pure-Go answer must be git's.
			gc, gb, err := r.headGit(ctx)
			if err != nil || gc != commit || gb != branch {
				t.Errorf("headGit = %s %q %v, Head = %s %q", gc, gb, err, commit, branch)
			}
		})
	}
}

func TestHeadUnborn(t *testing.T) {
	ctx := context.Background()
	dir := newRepo(t, nil)
	r := mustOpen(t, dir)
	commit, branch, err := r.Head(ctx)
	if !errors.Is(err, ErrNoCommits) || commit != "" || branch != "main" {
		t.Errorf("Head = %q %q %v, want \"\" main ErrNoCommits", commit, branch, err)
	}
	if _, _, err := r.headGit(ctx); !errors.Is(err, ErrNoCommits) {
		t.Errorf("headGit error = %v, want ErrNoCommits", err)
	}
	if _, err := r.HeadDate(ctx); !errors.Is(err, ErrNoCommits) {
		t.Errorf("HeadDate error = %v, want ErrNoCommits", err)
	}
	if _, err := r.Tree(ctx, TreeOptions{}); !errors.Is(err, ErrNoCommits) {
		t.Errorf("Tree error = %v, want ErrNoCommits", err)
	}
	if got := r.DefaultBranch(ctx); got != "main" {
		t.Errorf("DefaultBranch = %q, want main", got)
	}
}

func TestHeadFallbackToGit(t *testing.T) {
	ctx := context.Background()
	dir := newRepo(t, map[string]string{"a": "a"})
	want := run(t, dir, "rev-parse", "HEAD")
	// Legacy symbolic-link HEAD: git still reads it; Head leaves it to git.
	head := filepath.Join(dir, ".git", "HEAD")
	if err := os.Remove(head); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("refs/heads/main", head); err != nil {
		t.Fatal(err)
	}
	r := mustOpen(t, dir)
	commit, branch, err := r.Head(ctx)
	if err != nil || commit != want || branch != "main" {
		t.Errorf("Head = %s %q %v, want %s main", commit, branch, err, want)
	}
}

func TestHeadCorruptRef(t *testing.T) {
	ctx := context.Background()
	dir := newRepo(t, map[string]string{"a": "a"})
	r := mustOpen(t, dir)
	write(t, dir, ".git/refs/heads/main", "this is not a hash\n")
	_, branch, err := r.Head(ctx)
	if !errors.Is(err, ErrCorrupt) || branch != "main" || !strings.Contains(err.Error(), "refs/heads/main") {
		t.Errorf("Head = branch %q, %v; want ErrCorrupt naming the ref", branch, err)
	}
	// A FIFO planted as a ref must not hang the read.
	if err := os.Remove(filepath.Join(dir, ".git", "refs", "heads", "main")); err != nil {
		t.Fatal(err)
	}
	if err := mkfifo(filepath.Join(dir, ".git", "refs", "heads", "main")); err != nil {
		t.Skip("mkfifo:", err)
	}
	done := make(chan error, 1)
	go func() { _, _, err := r.Head(ctx); done <- err }()
	select {
	case err := <-done:
		if !errors.Is(err, ErrCorrupt) {
			t.Errorf("Head with a FIFO ref: %v, want ErrCorrupt", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Head hangs on a FIFO ref")
	}
}

func TestHeadDate(t *testing.T) {
	dir := newRepo(t, map[string]string{"a": "a"})
	r := mustOpen(t, dir)
	got, err := r.HeadDate(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC); !got.Equal(want) || got.Location() != time.UTC {
		t.Errorf("HeadDate = %v, want %v", got, want)
	}
	if _, err := r.CommitDate(context.Background(), "--output=/tmp/x"); err == nil {
		t.Error("CommitDate accepted an option as a commit")
	}
}

func TestDefaultBranch(t *testing.T) {
	ctx := context.Background()
	src := newRepo(t, map[string]string{"a": "a"})
	run(t, src, "branch", "-m", "main", "trunk")
	base := filepath.Dir(src)
	run(t, base, "clone", "-q", src, "clone")
	clone := filepath.Join(base, "clone")
	run(t, clone, "checkout", "-q", "-b", "topic")

	detached := filepath.Join(base, "detached")
	run(t, base, "clone", "-q", src, detached)
	run(t, detached, "remote", "set-head", "origin", "-d")
	run(t, detached, "checkout", "-q", "--detach")

	tests := []struct {
		name, path, want string
	}{
		{"no remote: HEAD's branch", src, "trunk"},
		{"origin/HEAD wins over HEAD", clone, "trunk"},
		{"detached without origin/HEAD", detached, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mustOpen(t, tt.path).DefaultBranch(ctx); got != tt.want {
				t.Errorf("DefaultBranch = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestRemoteURL(t *testing.T) {
	ctx := context.Background()
	dir := newRepo(t, map[string]string{"a": "a"})
	r := mustOpen(t, dir)
	if got := r.RemoteURL(ctx); got != "" {
		t.Errorf("RemoteURL without origin = %q", got)
	}
	run(t, dir, "remote", "add", "origin", "https://user:ghp_secret@GitHub.com/Org/Repo.git")
	if got, want := r.RemoteURL(ctx), "https://GitHub.com/Org/Repo.git"; got != want {
		t.Errorf("RemoteURL = %q, want %q", got, want)
	}
	if got, want := NormaliseRemote(r.RemoteURL(ctx)), "github.com/org/repo"; got != want {
		t.Errorf("NormaliseRemote(RemoteURL) = %q, want %q", got, want)
	}

	// Includes are left to git, which follows them.
	write(t, dir, ".git/extra.cfg", "[remote \"origin\"]\n\turl = ssh://git:pw@example.com/x/y.git\n")
	run(t, dir, "config", "include.path", "extra.cfg")
	if got, want := r.RemoteURL(ctx), "ssh://git@example.com/x/y.git"; got != want {
		t.Errorf("RemoteURL with include = %q, want %q", got, want)
	}

	// A linked work tree reads the common config.
	wt := filepath.Join(filepath.Dir(dir), "wt")
	run(t, dir, "worktree", "add", "-q", "-b", "wt", wt)
	if got, want := mustOpen(t, wt).RemoteURL(ctx), "ssh://git@example.com/x/y.git"; got != want {
		t.Errorf("linked worktree RemoteURL = %q, want %q", got, want)
	}

	write(t, dir, ".git/config", "[remote \"origin\"\n\turl = broken\n")
	if got := r.RemoteURL(ctx); got != "" {
		t.Errorf("RemoteURL with a broken config = %q, want \"\"", got)
	}
}
