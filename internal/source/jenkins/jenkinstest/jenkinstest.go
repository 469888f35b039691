// Package jenkinstest serves a fake Jenkins controller for tests: its JSON
// API answers with responses captured from real Jenkins controllers
// (../testdata/api, see SOURCE.md there), checking HTTP basic
// authentication.
//
// A local stand-in changes them only as it must: the controllers' URLs
// point at the test server (under /jenkins), the job listing carries each
// job's lastBuild (which the tree query asks for and the captured listing,
// fetched without one, lacks), and NewBuild adds a build to a job.
package jenkinstest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// Base is the path the controller is served under.
const Base = "/jenkins"

// Server is a fake Jenkins at URL+Base.
type Server struct {
	*httptest.Server
	// User and Token, when set, are the credentials requests must carry.
	User, Token string

	requests atomic.Int64
	mu       sync.Mutex
	extra    map[string]int // job → builds added beyond the captured 7
	fail     map[string]int // path → status to answer
}

var (
	jobRoute   = regexp.MustCompile(`^` + Base + `/job/([^/]+)/api/json$`)
	buildRoute = regexp.MustCompile(`^` + Base + `/job/([^/]+)/(\d+)/api/json$`)
)

// New starts a fake Jenkins; it closes when the test ends.
func New(t testing.TB) *Server {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(file), "..", "testdata", "api")
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	jobs, jobInfo, build := read("jobs.json"), read("job-info.json"), read("build-info-git-commit.json")
	s := &Server{extra: map[string]int{}, fail: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(1)
		if s.Token != "" && r.Header.Get("Authorization") != "Basic "+base64.StdEncoding.EncodeToString([]byte(s.User+":"+s.Token)) {
			w.Header().Set("WWW-Authenticate", `Basic realm="Jenkins"`)
			http.Error(w, "<html><body>Authentication required</body></html>", http.StatusUnauthorized)
			return
		}
		s.mu.Lock()
		status := s.fail[r.URL.Path]
		extra := map[string]int{}
		for k, v := range s.extra {
			extra[k] = v
		}
		s.mu.Unlock()
		if status != 0 {
			http.Error(w, "<html><body>Error</body></html>", status)
			return
		}
		local := s.URL + Base + "/"
		urls := strings.NewReplacer("http://10.1.248.14:8080/jenkins/", local, "http://localhost:32769/", local)
		var body string
		switch m, b := jobRoute.FindStringSubmatch(r.URL.Path), buildRoute.FindStringSubmatch(r.URL.Path); {
		case r.URL.Path == Base+"/api/json":
			var doc map[string]any
			json.Unmarshal(jobs, &doc)
			for _, j := range doc["jobs"].([]any) {
				job := j.(map[string]any)
				job["lastBuild"] = map[string]any{"number": 7 + extra[job["name"].(string)]}
			}
			out, _ := json.Marshal(doc)
			body = string(out)
		case m != nil:
			body = string(jobInfo)
			for i := extra[m[1]]; i > 0; i-- {
				body = strings.Replace(body, `"builds" : [`, fmt.Sprintf(`"builds" : [ { "number" : %d, "url" : "http://localhost:32769/job/fish/%d/" },`, 7+i, 7+i), 1)
			}
		case b != nil:
			body = string(build)
		default:
			http.Error(w, "<html><body>Not Found</body></html>", http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", "application/json;charset=utf-8")
		w.Write([]byte(urls.Replace(body)))
	}))
	t.Cleanup(s.Close)
	return s
}

// URLBase is the controller's base URL to give the source.
func (s *Server) URLBase() string { return s.URL + Base }

// Requests returns the requests answered so far.
func (s *Server) Requests() int { return int(s.requests.Load()) }

// NewBuild adds a build to job.
func (s *Server) NewBuild(job string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.extra[job]++
}

// Fail makes every answer at path the given status (0: none).
func (s *Server) Fail(path string, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail[path] = status
}
