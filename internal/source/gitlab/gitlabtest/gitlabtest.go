// Package gitlabtest serves a fake GitLab group for tests: the API answers
// with the response examples GitLab publishes (../testdata/api, see
// SOURCE.md there) and the projects are real git repositories served by git
// http-backend (internal/mirror/mirrortest).
//
// The documents are served as published, with what a local stand-in needs:
// the URLs of gitlab.example.com point at the local git server, the project
// list is served in two pages with GitLab's pagination headers, the
// updated_after filter GitLab applies to merge requests and issues is
// applied, and Push moves a project's last_activity_at, as a push does.
// Every answer carries GitLab's RateLimit-* headers.
package gitlabtest

import (
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
	"time"

	"github.com/ospo-project/ospo/internal/mirror/mirrortest"
)

// Group is the group the source is pointed at; the examples' projects live
// in its subgroups h5bp and twitter.
const Group = "examples"

// Projects are the full paths of the examples' projects, by GitLab ID.
var Projects = map[int64]string{9: "h5bp/html5-boilerplate", 7: "twitter/typeahead-js", 6: "twitter/flight"}

// Busy is the project the merge request, issue and release examples
// belong to; the other projects have none.
const Busy = 9

// Server is a fake GitLab: API at URL+"/api/v4", git at Git.URL.
type Server struct {
	*httptest.Server
	Git *mirrortest.Server
	// Token is the PRIVATE-TOKEN requests must carry; empty accepts any.
	Token string

	requests atomic.Int64
	mu       sync.Mutex
	byPath   map[string]int
	activity map[int64]string // project ID → last_activity_at replacing the example's
	human    bool             // the second example note is a person's, not a system note
	fail     map[string]failure
}

type failure struct {
	status int
	header http.Header
	body   string
	times  int // answers left; <0 means always
}

func examples(t testing.TB) map[string][]byte {
	_, file, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(file), "..", "testdata", "api")
	out := map[string][]byte{}
	for _, name := range []string{"group-projects", "group-projects-page2", "merge-requests", "merge-request-approvals",
		"issues", "notes", "releases"} {
		b, err := os.ReadFile(filepath.Join(dir, name+".json"))
		if err != nil {
			t.Fatal(err)
		}
		out[name] = b
	}
	return out
}

var (
	projectRoute = regexp.MustCompile(`^/api/v4/projects/(\d+)/(merge_requests|issues|releases)(?:/(\d+)/(approvals|notes))?$`)
	groupRoute   = "/api/v4/groups/" + Group + "/projects"
)

// New starts a fake GitLab whose three projects each hold files (path →
// content) in one commit. Both servers close when the test ends.
func New(t testing.TB, files map[string]string) *Server {
	t.Helper()
	ex := examples(t)
	s := &Server{byPath: map[string]int{}, activity: map[int64]string{}, fail: map[string]failure{}}
	s.Git = mirrortest.Serve(t, t.TempDir())
	for _, full := range Projects {
		mirrortest.AddRepo(t, s.Git.Root, full, files)
	}
	var remaining atomic.Int64
	remaining.Store(2000)
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(1)
		left := remaining.Add(-1)
		w.Header().Set("RateLimit-Limit", "2000")
		w.Header().Set("RateLimit-Remaining", fmt.Sprint(max(left, 0)))
		w.Header().Set("RateLimit-Reset", fmt.Sprint(time.Now().Add(time.Minute).Unix()))
		s.mu.Lock()
		s.byPath[r.URL.Path]++
		f, failing := s.fail[r.URL.Path]
		if failing && f.times != 0 {
			if f.times > 0 {
				f.times--
				s.fail[r.URL.Path] = f
			}
		} else {
			failing = false
		}
		activity := map[int64]string{}
		for k, v := range s.activity {
			activity[k] = v
		}
		human := s.human
		s.mu.Unlock()
		if s.Token != "" && r.Header.Get("PRIVATE-TOKEN") != s.Token {
			w.WriteHeader(http.StatusUnauthorized)
			w.Write([]byte(`{"message":"401 Unauthorized"}`))
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
		if r.Method != http.MethodGet {
			http.NotFound(w, r)
			return
		}
		var body string
		switch m := projectRoute.FindStringSubmatch(r.URL.Path); {
		case r.URL.Path == groupRoute:
			name, next := "group-projects", "2"
			if r.URL.Query().Get("page") == "2" {
				name, next = "group-projects-page2", ""
			}
			w.Header().Set("X-Total-Pages", "2")
			w.Header().Set("X-Next-Page", next)
			body = string(ex[name])
			for id, at := range activity {
				body = setActivity(body, id, at)
			}
		case m == nil || (m[3] != "" && m[4] == ""):
			http.NotFound(w, r)
			return
		case m[4] == "approvals":
			body = string(ex["merge-request-approvals"])
		case m[4] == "notes":
			body = string(ex["notes"])
			if human {
				body = strings.Replace(body, "\"system\": true,\n    \"noteable_id\": 121", "\"system\": false,\n    \"noteable_id\": 121", 1)
			}
		case m[1] != fmt.Sprint(Busy):
			body = "[]"
		case m[2] == "releases":
			body = string(ex["releases"])
		case m[2] == "issues":
			body = updatedAfter(ex["issues"], r.URL.Query().Get("updated_after"))
		default:
			body = updatedAfter(ex["merge-requests"], r.URL.Query().Get("updated_after"))
		}
		body = strings.NewReplacer("http://gitlab.example.com/", s.Git.URL+"/", "https://gitlab.example.com/", s.Git.URL+"/").Replace(body)
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(body))
	}))
	t.Cleanup(s.Close)
	return s
}

// setActivity replaces project id's last_activity_at in a project list.
func setActivity(body string, id int64, at string) string {
	re := regexp.MustCompile(`(?s)("id": ` + fmt.Sprint(id) + `,.*?"last_activity_at": ")[^"]*(")`)
	return re.ReplaceAllString(body, "${1}"+at+"${2}")
}

// updatedAfter filters a list document to the elements updated after the
// given time, as GitLab's updated_after parameter does; an empty or
// unreadable time keeps all.
func updatedAfter(doc []byte, after string) string {
	t, err := time.Parse(time.RFC3339Nano, after)
	if after == "" || err != nil {
		return string(doc)
	}
	var items []json.RawMessage
	if err := json.Unmarshal(doc, &items); err != nil {
		return string(doc)
	}
	kept := []json.RawMessage{}
	for _, it := range items {
		var u struct {
			UpdatedAt time.Time `json:"updated_at"`
		}
		if json.Unmarshal(it, &u) == nil && u.UpdatedAt.After(t) {
			kept = append(kept, it)
		}
	}
	b, _ := json.Marshal(kept)
	return string(b)
}

// Hits returns the number of API requests made to path so far.
func (s *Server) Hits(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.byPath[path]
}

// Requests returns the number of API requests answered so far.
func (s *Server) Requests() int { return int(s.requests.Load()) }

// APIURL is the base URL to give the source.
func (s *Server) APIURL() string { return s.URL + "/api/v4/" }

// Push adds a commit to project id's repository and moves its
// last_activity_at, as GitLab does on a push.
func (s *Server) Push(t testing.TB, id int64, files map[string]string, at time.Time) {
	t.Helper()
	mirrortest.Commit(t, filepath.Join(s.Git.Root, Projects[id]+".git"), "push", files)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.activity[id] = at.UTC().Format("2006-01-02T15:04:05.000Z")
}

// HumanNote makes the second example note a person's comment rather than
// a system note.
func (s *Server) HumanNote() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.human = true
}

// Fail makes the next times answers at path (-1: all of them) the given
// status, headers and body.
func (s *Server) Fail(path string, times, status int, header http.Header, body string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail[path] = failure{status: status, header: header, body: body, times: times}
}
