package gitlog

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// testRepo builds real git repositories with the git CLI, isolated from the
// user's and the system's git configuration.
type testRepo struct {
	t   testing.TB
	dir string
}

func newRepo(t testing.TB) *testRepo {
	t.Helper()
	r := &testRepo{t: t, dir: t.TempDir()}
	r.git(nil, "init", "-q", "-b", "main")
	return r
}

// gitEnv is the environment for building test repositories.
func gitEnv(t testing.TB, extra ...string) []string {
	env := []string{
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_CONFIG_GLOBAL=/dev/null",
		"HOME=" + t.TempDir(),
		"LC_ALL=C",
		"PATH=" + os.Getenv("PATH"),
		"GIT_AUTHOR_NAME=Setup", "GIT_AUTHOR_EMAIL=setup@example.com",
		"GIT_COMMITTER_NAME=Setup", "GIT_COMMITTER_EMAIL=setup@example.com",
		"GIT_AUTHOR_DATE=2020-01-01T00:00:00Z", "GIT_COMMITTER_DATE=2020-01-01T00:00:00Z",
	}
	return append(env, extra...)
}

// git runs git in the repository with extra environment and returns its
// standard output, failing the test if git fails.
func (r *testRepo) git(env []string, args ...string) string {
	r.t.Helper()
	return runGit(r.t, r.dir, env, nil, args...)
}

func runGit(t testing.TB, dir string, env []string, stdin io.Reader, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = gitEnv(t, env...)
	cmd.Stdin = stdin
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git %s: %v: %s", strings.Join(args, " "), err, stderr.String())
	}
	return strings.TrimSpace(string(out))
}

// deleted marks a file to remove in commit's files.
const deleted = "\x00deleted"

// commit writes files (path → content, or deleted), stages everything and
// commits as name <email> at when (author and committer date alike).
func (r *testRepo) commit(name, email string, when time.Time, files map[string]string) string {
	r.t.Helper()
	for p, content := range files {
		full := filepath.Join(r.dir, filepath.FromSlash(p))
		if content == deleted {
			if err := os.Remove(full); err != nil {
				r.t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			r.t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			r.t.Fatal(err)
		}
	}
	r.git(nil, "add", "-A")
	r.git(identityEnv(name, email, when), "commit", "-q", "--allow-empty", "-m", "change")
	return r.git(nil, "rev-parse", "HEAD")
}

func identityEnv(name, email string, when time.Time) []string {
	date := when.UTC().Format(time.RFC3339)
	return []string{
		"GIT_AUTHOR_NAME=" + name, "GIT_AUTHOR_EMAIL=" + email, "GIT_AUTHOR_DATE=" + date,
		"GIT_COMMITTER_NAME=" + name, "GIT_COMMITTER_EMAIL=" + email, "GIT_COMMITTER_DATE=" + date,
	}
}

// removeObject deletes the loose object id, simulating corruption.
func (r *testRepo) removeObject(id string) {
	r.t.Helper()
	gitDir := r.git(nil, "rev-parse", "--git-dir")
	if !filepath.IsAbs(gitDir) {
		gitDir = filepath.Join(r.dir, gitDir)
	}
	if err := os.Remove(filepath.Join(gitDir, "objects", id[:2], id[2:])); err != nil {
		r.t.Fatal(err)
	}
}

// synthetic describes a generated history.
type synthetic struct {
	commits int
	authors int
	files   int
	// step is the time between commits.
	step time.Duration
}

// buildSynthetic writes a history with git fast-import (much faster than
// one `git commit` per commit) and returns the repository directory. Each
// commit edits one to three of the files: it changes a line, and sometimes
// appends a line, so every commit has real line counts.
func buildSynthetic(t testing.TB, s synthetic) string {
	t.Helper()
	dir := t.TempDir()
	runGit(t, dir, nil, nil, "init", "-q", "-b", "main")

	pr, pw := io.Pipe()
	go func() {
		w := bufio.NewWriterSize(pw, 1<<20)
		rng := rand.New(rand.NewPCG(1, 2))
		contents := make([][]string, s.files)
		for i := range contents {
			for j := range 20 {
				contents[i] = append(contents[i], fmt.Sprintf("file %d line %d", i, j))
			}
		}
		start := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
		for c := range s.commits {
			a := rng.IntN(s.authors)
			ident := fmt.Sprintf("Author %d <author%d@example.com> %d +0000", a, a, start+int64(c)*int64(s.step/time.Second))
			msg := fmt.Sprintf("commit %d", c)
			fmt.Fprintf(w, "commit refs/heads/main\nauthor %s\ncommitter %s\ndata %d\n%s\n", ident, ident, len(msg), msg)
			for range 1 + rng.IntN(3) {
				f := rng.IntN(s.files)
				lines := contents[f]
				lines[rng.IntN(len(lines))] = fmt.Sprintf("edit %d", c)
				if rng.IntN(4) == 0 && len(lines) < 200 {
					lines = append(lines, fmt.Sprintf("added %d", c))
				}
				contents[f] = lines
				body := strings.Join(lines, "\n") + "\n"
				fmt.Fprintf(w, "M 100644 inline dir%d/file%d.txt\ndata %d\n%s\n", f%10, f, len(body), body)
			}
		}
		pw.CloseWithError(w.Flush())
	}()
	runGit(t, dir, nil, pr, "fast-import", "--quiet")
	return dir
}
