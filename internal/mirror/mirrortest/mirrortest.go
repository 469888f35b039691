// Package mirrortest serves git repositories over smart HTTP for tests, with
// git's own CGI program, git http-backend, run through net/http/cgi.
package mirrortest

import (
	"net/http"
	"net/http/cgi"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// Server serves the bare repositories under Root at URL/<owner>/<name>.git.
type Server struct {
	*httptest.Server
	Root string
	// Requests counts the HTTP requests git made.
	Requests atomic.Int64
	// Auth, when set, is the Authorization header every request must carry.
	Auth string
}

// Serve starts a server for the bare repositories under root; it is closed
// when the test ends.
func Serve(t testing.TB, root string) *Server {
	t.Helper()
	out, err := exec.Command("git", "--exec-path").Output()
	if err != nil {
		t.Skipf("git not available: %v", err)
	}
	backend := filepath.Join(strings.TrimSpace(string(out)), "git-http-backend")
	s := &Server{Root: root}
	h := &cgi.Handler{
		Path: backend,
		Env:  []string{"GIT_PROJECT_ROOT=" + root, "GIT_HTTP_EXPORT_ALL=1", "GIT_CONFIG_NOSYSTEM=1", "HOME=" + root},
	}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.Requests.Add(1)
		if s.Auth != "" && r.Header.Get("Authorization") != s.Auth {
			w.Header().Set("WWW-Authenticate", `Basic realm="test"`)
			http.Error(w, "unauthorised", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

// Git runs git in dir with a fixed identity and dates, failing the test on error.
func Git(t testing.TB, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null",
		"GIT_AUTHOR_NAME=Mona Lisa", "GIT_AUTHOR_EMAIL=mona@example.com",
		"GIT_COMMITTER_NAME=Mona Lisa", "GIT_COMMITTER_EMAIL=mona@example.com",
		"GIT_AUTHOR_DATE=2024-01-02T03:04:05Z", "GIT_COMMITTER_DATE=2024-01-02T03:04:05Z")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// AddRepo creates the bare repository root/fullName.git holding one commit
// of files (path → content) on branch main, and returns its path.
func AddRepo(t testing.TB, root, fullName string, files map[string]string) string {
	t.Helper()
	bare := filepath.Join(root, filepath.FromSlash(fullName)+".git")
	if err := os.MkdirAll(filepath.Dir(bare), 0o755); err != nil {
		t.Fatal(err)
	}
	Git(t, filepath.Dir(bare), "init", "--quiet", "--bare", "--initial-branch=main", bare)
	Commit(t, bare, "initial", files)
	return bare
}

// Commit adds a commit with files to branch main of the bare repository.
func Commit(t testing.TB, bare, message string, files map[string]string) {
	t.Helper()
	work := t.TempDir()
	Git(t, work, "clone", "--quiet", bare, ".")
	Git(t, work, "checkout", "--quiet", "-B", "main")
	for p, c := range files {
		full := filepath.Join(work, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	Git(t, work, "add", "-A")
	Git(t, work, "commit", "--quiet", "--allow-empty", "-m", message)
	Git(t, work, "push", "--quiet", "origin", "main")
}
