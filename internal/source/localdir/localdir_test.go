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
