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
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
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
	renamed    string // the repository's full name after Rename
	created    []string
	fail       map[string]failure
	remaining  int
	resetAfter time.Duration
	app        *app
}

// app is a GitHub App installed on the organisation.
type app struct {
	id, installation int64
	key              *rsa.PublicKey
	tokens           int // installation tokens issued
}

// InstallationToken is the token of GitHub's published example answer to
// POST /app/installations/{id}/access_tokens ("installation-token").
const InstallationToken = "ghs_16C7e42F292c6912E7710c838347Ae178B4a"

// installationToken is that example answer (token, expires_at, permissions,
// repository_selection; its repositories array left out), with expires_at
// moved to an hour from now: the example's 2016 date would be expired.
const installationToken = `{
  "token": "ghs_16C7e42F292c6912E7710c838347Ae178B4a",
  "expires_at": "2016-07-11T22:14:10Z",
  "permissions": {
    "issues": "write",
    "contents": "read"
  },
  "repository_selection": "selected"
}`

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
	for _, name := range []string{"minimal-repository-items", "issue-items", "pull-request-review-items", "release-items", "issue-comment-items",
		"pull-request-simple-items", "full-repository", "repository-name-exists"} {
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
		"/repos/" + Repo + "/pulls":                "pull-request-simple-items",
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
		pushed, comments, renamed := s.pushedAt, s.comments, s.renamed
		s.mu.Unlock()
		if s.app != nil && r.Method == http.MethodPost && r.URL.Path == fmt.Sprintf("/app/installations/%d/access_tokens", s.app.installation) {
			s.issueToken(w, r)
			return
		}
		if auth := r.Header.Get("Authorization"); s.Token != "" && auth != "Bearer "+s.Token && auth != "token "+s.Token {
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
		path := r.URL.Path
		if renamed != "" {
			// The repository answers under its new name only.
			if strings.HasPrefix(path, "/repos/"+Repo+"/") {
				path = ""
			}
			path = strings.Replace(path, "/repos/"+renamed+"/", "/repos/"+Repo+"/", 1)
		}
		if r.Method == http.MethodPost && path == "/orgs/"+Org+"/repos" {
			s.create(w, r, ex)
			return
		}
		name, ok := routes[path]
		if !ok || r.Method != http.MethodGet {
			http.NotFound(w, r)
			return
		}
		body := strings.NewReplacer("https://api.github.com/", s.URL+"/", "https://github.com/", s.Git.URL+"/").Replace(string(ex[name]))
		if renamed != "" {
			body = strings.ReplaceAll(body, Repo, renamed)
			body = strings.ReplaceAll(body, `"name": "`+Repo[strings.IndexByte(Repo, '/')+1:]+`"`, `"name": "`+renamed[strings.IndexByte(renamed, '/')+1:]+`"`)
		}
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

// create answers POST /orgs/{Org}/repos as GitHub does: a name that is
// taken gets GitHub's 422 (repository-name-exists), another an empty bare
// repository that takes pushes, served at Git.URL/{Org}/{name}.git, and
// the 201 example full-repository with octocat/Hello-World and its name
// replaced by the new repository's, and its id by 1296269 + n for the nth
// repository created.
func (s *Server) create(w http.ResponseWriter, r *http.Request, ex map[string][]byte) {
	var body struct {
		Name string `json:"name"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.Name == "" || strings.ContainsAny(body.Name, "/\\") ||
		strings.HasPrefix(body.Name, ".") {
		http.Error(w, `{"message":"Problems parsing JSON"}`, http.StatusBadRequest)
		return
	}
	bare := filepath.Join(s.Git.Root, Org, body.Name+".git")
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := os.Stat(bare); err == nil {
		w.WriteHeader(http.StatusUnprocessableEntity)
		w.Write(ex["repository-name-exists"])
		return
	}
	for _, args := range [][]string{{"init", "--quiet", "--bare", "--initial-branch=main", bare},
		{"-C", bare, "config", "http.receivepack", "true"}} {
		if out, err := exec.Command("git", args...).CombinedOutput(); err != nil {
			http.Error(w, fmt.Sprintf(`{"message":%q}`, string(out)), http.StatusInternalServerError)
			return
		}
	}
	s.created = append(s.created, Org+"/"+body.Name)
	out := strings.NewReplacer("https://api.github.com/", s.URL+"/", "https://github.com/", s.Git.URL+"/").Replace(string(ex["full-repository"]))
	out = strings.ReplaceAll(out, Repo, Org+"/"+body.Name)
	out = strings.ReplaceAll(out, `"name": "Hello-World"`, `"name": `+strconv.Quote(body.Name))
	// A new repository has an id of its own (the example's is the listed
	// repository's): the first (the top-level) id becomes 1296269 + n.
	out = strings.Replace(out, `"id": 1296269,`, fmt.Sprintf(`"id": %d,`, 1296269+len(s.created)), 1)
	w.WriteHeader(http.StatusCreated)
	w.Write([]byte(out))
}

// Created returns the full names of the repositories created so far.
func (s *Server) Created() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.created)
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

// Rename renames (or, with another owner, transfers) the repository to
// fullName, as GitHub does: same id, new name and URLs, the git repository
// served under the new name, the old name gone.
func (s *Server) Rename(t testing.TB, fullName string) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	to := filepath.Join(s.Git.Root, filepath.FromSlash(fullName)+".git")
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(s.Git.Root, Repo+".git"), to); err != nil {
		t.Fatal(err)
	}
	s.renamed = fullName
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

// InstallApp installs a GitHub App with the given IDs on the organisation
// and returns its private key (PKCS#1 PEM, as GitHub issues them). From
// then on the API answers only requests with the installation token, which
// the App obtains by POST /app/installations/{installation}/access_tokens
// with a JWT signed by that key.
func (s *Server) InstallApp(t testing.TB, appID, installation int64) []byte {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	s.app = &app{id: appID, installation: installation, key: &key.PublicKey}
	s.mu.Unlock()
	s.Token = InstallationToken
	return pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
}

// TokensIssued returns how many installation tokens the App was given.
func (s *Server) TokensIssued() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.app == nil {
		return 0
	}
	return s.app.tokens
}

// issueToken checks the App's JWT (RS256 by the App's key, issued by its
// ID, not expired, valid at most ten minutes) and answers with the example
// installation token.
func (s *Server) issueToken(w http.ResponseWriter, r *http.Request) {
	deny := func(msg string) {
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprintf(w, `{"message":%q,"documentation_url":"https://docs.github.com/rest"}`, msg)
	}
	jwt, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	parts := strings.Split(jwt, ".")
	if !ok || len(parts) != 3 {
		deny("A JSON web token could not be decoded")
		return
	}
	enc := base64.RawURLEncoding
	sig, err := enc.DecodeString(parts[2])
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if err != nil || rsa.VerifyPKCS1v15(s.app.key, crypto.SHA256, sum[:], sig) != nil {
		deny("A JSON web token could not be decoded")
		return
	}
	var header struct {
		Alg string `json:"alg"`
	}
	var claims struct {
		Iss string `json:"iss"`
		Iat int64  `json:"iat"`
		Exp int64  `json:"exp"`
	}
	hb, _ := enc.DecodeString(parts[0])
	cb, _ := enc.DecodeString(parts[1])
	if json.Unmarshal(hb, &header) != nil || json.Unmarshal(cb, &claims) != nil || header.Alg != "RS256" {
		deny("A JSON web token could not be decoded")
		return
	}
	now := time.Now().Unix()
	if claims.Iss != strconv.FormatInt(s.app.id, 10) || claims.Exp < now || claims.Exp-claims.Iat > 600 {
		deny("'Expiration time' claim ('exp') is too far in the future")
		return
	}
	s.mu.Lock()
	s.app.tokens++
	s.mu.Unlock()
	body := strings.Replace(installationToken, "2016-07-11T22:14:10Z", time.Now().Add(time.Hour).UTC().Format(time.RFC3339), 1)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusCreated)
	w.Write([]byte(body))
}
