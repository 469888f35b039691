package localdir

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func git(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

func mkrepo(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	git(t, dir, "init", "-q", "-b", "main")
	os.WriteFile(filepath.Join(dir, "README.md"), []byte("hi\n"), 0o644)
	git(t, dir, "add", ".")
	git(t, dir, "commit", "-qm", "init")
}

func TestDiscover(t *testing.T) {
	root := t.TempDir()
	mkrepo(t, filepath.Join(root, "org", "alpha"))
	mkrepo(t, filepath.Join(root, "org", "beta"))
	// A repository inside node_modules is a dependency, not ours.
	mkrepo(t, filepath.Join(root, "org", "node_modules", "dep"))
	// A bare mirror.
	git(t, root, "clone", "-q", "--bare", filepath.Join(root, "org", "alpha"), filepath.Join(root, "mirrors", "alpha.git"))
	// A repository nested in another's work tree, not declared as a submodule,
	// is found only with Deep.
	mkrepo(t, filepath.Join(root, "org", "beta", "scratch", "nested"))
	// A symlink to a repository (the same repository reached twice) and a
	// symlink loop.
	os.Symlink(filepath.Join(root, "org", "alpha"), filepath.Join(root, "alias"))
	os.Symlink(root, filepath.Join(root, "org", "loop"))
	// A dangling symlink.
	os.Symlink(filepath.Join(root, "missing"), filepath.Join(root, "dangling"))

	tests := []struct {
		name string
		opts Options
		want []string
	}{
		{"default", Options{}, []string{"mirrors/alpha.git", "org/alpha", "org/beta"}},
		{"deep", Options{Deep: true}, []string{"mirrors/alpha.git", "org/alpha", "org/beta", "org/beta/scratch/nested"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, problems, err := Discover(context.Background(), []string{root}, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if len(problems) != 0 {
				t.Errorf("problems: %v", problems)
			}
			var paths []string
			bare := map[string]bool{}
			for _, c := range got {
				r, _ := filepath.Rel(root, c.Path)
				paths = append(paths, filepath.ToSlash(r))
				bare[filepath.ToSlash(r)] = c.Bare
			}
			if diff := cmp.Diff(tc.want, paths); diff != "" {
				t.Errorf("Discover (-want +got):\n%s", diff)
			}
			if !bare["mirrors/alpha.git"] || bare["org/beta"] {
				t.Errorf("bare flags wrong: %v", bare)
			}
		})
	}
}

func TestDiscoverSubmodule(t *testing.T) {
	root := t.TempDir()
	lib := filepath.Join(root, "lib")
	mkrepo(t, lib)
	app := filepath.Join(root, "work", "app")
	mkrepo(t, app)
	git(t, app, "-c", "protocol.file.allow=always", "submodule", "add", "-q", lib, "third/lib")
	got, _, err := Discover(context.Background(), []string{filepath.Join(root, "work")}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, c := range got {
		r, _ := filepath.Rel(root, c.Path)
		paths = append(paths, filepath.ToSlash(r))
	}
	if diff := cmp.Diff([]string{"work/app", "work/app/third/lib"}, paths); diff != "" {
		t.Errorf("Discover (-want +got):\n%s", diff)
	}
}

func TestDiscoverUnreadable(t *testing.T) {
	got, problems, err := Discover(context.Background(), []string{"/nonexistent/ospo"}, Options{})
	if err != nil || len(got) != 0 || len(problems) != 1 {
		t.Fatalf("got %v %v %v", got, problems, err)
	}
}

// TestDiscoverConfined builds the hostile repositories of issue 20: committed
// symbolic links that lead out of the directory being scanned, declared as
// submodule paths or walked by Deep, and checks that no repository outside
// the root is found through them.
func TestDiscoverConfined(t *testing.T) {
	outside := t.TempDir()
	secret := filepath.Join(outside, "secret")
	mkrepo(t, secret)

	root := t.TempDir()
	evil := filepath.Join(root, "evil")
	mkrepo(t, evil)
	// A committed link to / with a submodule path through it, a committed
	// link straight to the outside repository declared as a submodule, and a
	// committed link to the outside directory for Deep to walk into.
	if err := os.Symlink("/", filepath.Join(evil, "rootfs")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(secret, filepath.Join(evil, "sub")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(evil, "root")); err != nil {
		t.Fatal(err)
	}
	gitmodules := "[submodule \"a\"]\n\tpath = rootfs" + secret + "\n\turl = ../a\n" +
		"[submodule \"b\"]\n\tpath = sub\n\turl = ../b\n"
	if err := os.WriteFile(filepath.Join(evil, ".gitmodules"), []byte(gitmodules), 0o644); err != nil {
		t.Fatal(err)
	}
	git(t, evil, "add", ".")
	git(t, evil, "commit", "-qm", "links")

	for _, deep := range []bool{false, true} {
		got, problems, err := Discover(context.Background(), []string{root}, Options{Deep: deep})
		if err != nil {
			t.Fatal(err)
		}
		var paths []string
		for _, c := range got {
			paths = append(paths, c.Path)
			if !within(c.RealPath, root) && !within(c.RealPath, mustReal(t, root)) {
				t.Errorf("deep=%v: found %s (real %s) outside the root", deep, c.Path, c.RealPath)
			}
		}
		if diff := cmp.Diff([]string{evil}, paths); diff != "" {
			t.Errorf("deep=%v: Discover (-want +got):\n%s", deep, diff)
		}
		if !deep && len(problems) != 2 {
			t.Errorf("deep=false: want 2 problems (the two submodule paths through links), got %v", problems)
		}
	}
}

// TestDiscoverLinksBetweenCheckouts checks the user's own layout: a link
// standing directly in a root is followed even when its target is elsewhere,
// while a deeper link that leads out of the roots is refused with a problem.
func TestDiscoverLinksBetweenCheckouts(t *testing.T) {
	elsewhere := t.TempDir()
	mkrepo(t, filepath.Join(elsewhere, "app"))
	mkrepo(t, filepath.Join(elsewhere, "tool"))
	root := t.TempDir()
	os.Symlink(filepath.Join(elsewhere, "app"), filepath.Join(root, "app"))
	os.MkdirAll(filepath.Join(root, "team"), 0o755)
	os.Symlink(filepath.Join(elsewhere, "tool"), filepath.Join(root, "team", "tool"))

	got, problems, err := Discover(context.Background(), []string{root}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, c := range got {
		paths = append(paths, c.Path)
	}
	if diff := cmp.Diff([]string{filepath.Join(root, "app")}, paths); diff != "" {
		t.Errorf("Discover (-want +got):\n%s", diff)
	}
	if len(problems) != 1 || problems[0].Path != filepath.Join(root, "team", "tool") {
		t.Errorf("want one problem for team/tool, got %v", problems)
	}
}

func mustReal(t *testing.T, p string) string {
	t.Helper()
	r, err := filepath.EvalSymlinks(p)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
