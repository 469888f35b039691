package gitrepo

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// gitEnv isolates the git the tests run from the user's configuration and
// makes commits reproducible.
var gitEnv = []string{
	"GIT_CONFIG_NOSYSTEM=1",
	"GIT_CONFIG_GLOBAL=/dev/null",
	"HOME=/nonexistent",
	"GIT_AUTHOR_NAME=Test",
	"GIT_AUTHOR_EMAIL=test@example.com",
	"GIT_COMMITTER_NAME=Test",
	"GIT_COMMITTER_EMAIL=test@example.com",
	"GIT_AUTHOR_DATE=2024-05-06T07:08:09Z",
	"GIT_COMMITTER_DATE=2024-05-06T07:08:09Z",
	"LC_ALL=C",
}

// run runs git in dir and returns its trimmed output, failing the test on error.
func run(tb testing.TB, dir string, args ...string) string {
	tb.Helper()
	out, err := runInput(dir, "", args...)
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

func runInput(dir, stdin string, args ...string) (string, error) {
	cmd := exec.Command("git", append([]string{"-c", "init.defaultBranch=main", "-c", "protocol.file.allow=always"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), gitEnv...)
	if stdin != "" {
		cmd.Stdin = strings.NewReader(stdin)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("git %s in %s: %v\n%s", strings.Join(args, " "), dir, err, out)
	}
	return strings.TrimSpace(string(out)), nil
}

// write creates a file (and its directories) under dir.
func write(tb testing.TB, dir, name, content string) {
	tb.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		tb.Fatal(err)
	}
}

// newRepo creates a work tree with the given files committed on main.
func newRepo(tb testing.TB, files map[string]string) string {
	tb.Helper()
	dir := filepath.Join(tb.TempDir(), "repo")
	if err := os.Mkdir(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	run(tb, dir, "init", "-q")
	for name, content := range files {
		write(tb, dir, name, content)
	}
	if len(files) > 0 {
		run(tb, dir, "add", "-A")
		run(tb, dir, "commit", "-q", "-m", "initial")
	}
	return dir
}

func mustOpen(tb testing.TB, path string) *Repo {
	tb.Helper()
	r, err := Open(path)
	if err != nil {
		tb.Fatalf("Open(%s): %v", path, err)
	}
	return r
}

// realPath resolves symbolic links (t.TempDir may sit under one).
func realPath(tb testing.TB, p string) string {
	tb.Helper()
	rp, err := filepath.EvalSymlinks(p)
	if err != nil {
		tb.Fatal(err)
	}
	return rp
}
