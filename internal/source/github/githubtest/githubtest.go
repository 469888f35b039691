// Package githubtest serves a fake GitHub organisation for tests: the API
// answers with the response examples of GitHub's published OpenAPI
// description (../testdata/api, see SOURCE.md there) and the repositories
// are real git repositories served by git http-backend
// (internal/mirror/mirrortest).
//
// The documents are served as GitHub publishes them, with two changes a
// local stand-in needs: the URLs of github.com and api.github.com point at
// the local servers, and Push moves a repository's pushed_at, as a push
// does. Every answer carries an ETag and honours If-None-Match, and the
// rate-limit headers GitHub sends.
package githubtest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/mirror/mirrortest"
)

// Org is the organisation of the examples: their repository is
// octocat/Hello-World.
const Org = "octocat"

// Repo is the full name of the examples' repository.
const Repo = "octocat/Hello-World"

// Server is a fake GitHub: API at URL, git at Git.URL.
type Server struct {
	*httptest.Server
	Git *mirrortest.Server
	// Token is the token requests must carry ("Bearer Token"); empty
	// accepts any.
	Token string

	requests   atomic.Int64
	mu         sync.Mutex
	byPath     map[string]int
	pushedAt   string // replaces the example's pushed_at when set
	comments   int    // replaces the example issue's comments count when set
	fail       map[string]failure
	remaining  int
	resetAfter time.Duration
}

type failure struct {
	status int
	header http.Header
	body   string
	times  int // answers left; <0 means always
}

// examples reads the example files.
func examples(t testing.TB) map[string][]byte {
	_, file, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(file), "..", "testdata", "api")
	out := map[string][]byte{}
	for _, name := range []string{"minimal-repository-items", "issue-items", "pull-request-review-items", "release-items", "issue-comment-items"} {
		b, err := os.ReadFile(filepath.Join(dir, name+".json"))
		if err != nil {
			t.Fatal(err)
		}
		out[name] = b
	}
	return out
}

// New starts a fake GitHub whose repository octocat/Hello-World holds
// files (path → content) in one commit. Both servers close when the test
// ends.
func New(t testing.TB, files map[string]string) *Server {
	t.Helper()
	ex := examples(t)
	s := &Server{byPath: map[string]int{}, fail: map[string]failure{}, remaining: 5000, resetAfter: time.Hour}
	s.Git = mirrortest.Serve(t, t.TempDir())
	mirrortest.AddRepo(t, s.Git.Root, Repo, files)
	routes := map[string]string{
		"/orgs/" + Org + "/repos":                  "minimal-repository-items",
		"/repos/" + Repo + "/issues":               "issue-items",
		"/repos/" + Repo + "/pulls/1347/reviews":   "pull-request-review-items",
		"/repos/" + Repo + "/releases":             "release-items",
		"/repos/" + Repo + "/issues/1347/comments": "issue-comment-items",
	}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(1)
		s.mu.Lock()
		s.byPath[r.URL.Path]++
		s.remaining--
		w.Header().Set("X-RateLimit-Limit", "5000")
		w.Header().Set("X-RateLimit-Remaining", fmt.Sprint(max(s.remaining, 0)))
		w.Header().Set("X-RateLimit-Reset", fmt.Sprint(time.Now().Add(s.resetAfter).Unix()))
		f, failing := s.fail[r.URL.Path]
		if failing && f.times != 0 {
			if f.times > 0 {
				f.times--
				s.fail[r.URL.Path] = f
			}
		} else {
			failing = false
		}
		pushed, comments := s.pushedAt, s.comments
		s.mu.Unlock()
		if s.Token != "" && r.Header.Get("Authorization") != "Bearer "+s.Token {
			w.WriteHeader(http.StatusUnauthorized)
			w.Write([]byte(`{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest"}`))
			return
		}
		if failing {
			for k, v := range f.header {
				w.Header()[k] = v
			}
			w.WriteHeader(f.status)
			w.Write([]byte(f.body))
			return
		}
		name, ok := routes[r.URL.Path]
		if !ok || r.Method != http.MethodGet {
			http.NotFound(w, r)
			return
		}
		body := strings.NewReplacer("https://api.github.com/", s.URL+"/", "https://github.com/", s.Git.URL+"/").Replace(string(ex[name]))
		if pushed != "" && name == "minimal-repository-items" {
			body = strings.Replace(body, `"pushed_at": "2011-01-26T19:06:43Z"`, `"pushed_at": "`+pushed+`"`, 1)
		}
		if comments > 0 && name == "issue-items" {
			body = strings.Replace(body, `"comments": 0,`, fmt.Sprintf(`"comments": %d,`, comments), 1)
			body = strings.Replace(body, `"updated_at": "2011-04-22T13:33:48Z",`, `"updated_at": "2011-04-23T00:00:00Z",`, 1)
		}
		sum := sha256.Sum256([]byte(body))
		etag := `"` + hex.EncodeToString(sum[:8]) + `"`
		w.Header().Set("ETag", etag)
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write([]byte(body))
	}))
	t.Cleanup(s.Close)
	return s
}

// Hits returns the number of API requests made to path so far.
func (s *Server) Hits(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.byPath[path]
}

// Requests returns the number of API requests answered so far.
func (s *Server) Requests() int { return int(s.requests.Load()) }

// Push adds a commit to the repository and moves its pushed_at, as GitHub
// does on a push.
func (s *Server) Push(t testing.TB, files map[string]string, at time.Time) {
	t.Helper()
	mirrortest.Commit(t, filepath.Join(s.Git.Root, Repo+".git"), "push", files)
	s.mu.Lock()
	s.pushedAt = at.UTC().Format(time.RFC3339)
	s.mu.Unlock()
}

// Comment sets the example issue's comment count to n and moves its
// updated_at, as GitHub does when someone comments.
func (s *Server) Comment(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.comments = n
}

// Fail makes the next times answers at path (-1: all of them) the given
// status, headers and body.
func (s *Server) Fail(path string, times, status int, header http.Header, body string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail[path] = failure{status: status, header: header, body: body, times: times}
}

// RateLimit sets the budget the next answers report and when it resets.
func (s *Server) RateLimit(remaining int, resetAfter time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.remaining, s.resetAfter = remaining, resetAfter
}
