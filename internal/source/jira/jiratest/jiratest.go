// Package jiratest serves a fake JIRA for tests: the search endpoints
// answer with Atlassian's published response examples (../testdata/api,
// see SOURCE.md there), checking the credentials and recording the JQL
// asked for.
package jiratest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sync"
	"testing"
)

// Server is a fake JIRA site at URL.
type Server struct {
	*httptest.Server
	// Auth is the Authorization header requests must carry; empty
	// accepts any.
	Auth string

	mu    sync.Mutex
	jql   []string
	paged bool
	fail  map[string]failure
}

type failure struct {
	status int
	header http.Header
	body   string
	times  int
}

// Basic returns the Authorization header of HTTP basic authentication.
func Basic(user, token string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+token))
}

// New starts a fake JIRA; it closes when the test ends.
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
	cloud, server := read("search-jql.json"), read("search.json")
	s := &Server{fail: map[string]failure{}}
	// JIRA answers a search naming a project it does not know with 400
	// and this message; the examples' project is EX.
	unknown := func(w http.ResponseWriter, jql string) bool {
		m := jqlProject.FindStringSubmatch(jql)
		if m == nil || m[1] == "EX" {
			return false
		}
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `{"errorMessages":["The value '%s' does not exist for the field 'project'."],"errors":{}}`, m[1])
		return true
	}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.Auth != "" && r.Header.Get("Authorization") != s.Auth {
			w.WriteHeader(http.StatusUnauthorized)
			w.Write([]byte(`{"errorMessages":["You are not authenticated. Authentication required to perform this operation."],"errors":{}}`))
			return
		}
		s.mu.Lock()
		f, failing := s.fail[r.URL.Path]
		if failing && f.times != 0 {
			if f.times > 0 {
				f.times--
				s.fail[r.URL.Path] = f
			}
		} else {
			failing = false
		}
		s.mu.Unlock()
		if failing {
			for k, v := range f.header {
				w.Header()[k] = v
			}
			w.WriteHeader(f.status)
			w.Write([]byte(f.body))
			return
		}
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		switch {
		case r.Method == http.MethodPost && r.URL.Path == "/rest/api/3/search/jql":
			var body struct {
				JQL           string `json:"jql"`
				NextPageToken string `json:"nextPageToken"`
			}
			b, _ := io.ReadAll(r.Body)
			if err := json.Unmarshal(b, &body); err != nil || body.JQL == "" {
				w.WriteHeader(http.StatusBadRequest)
				w.Write([]byte(`{"errorMessages":["Invalid request payload."],"errors":{}}`))
				return
			}
			s.record(body.JQL)
			if unknown(w, body.JQL) {
				return
			}
			s.mu.Lock()
			paged := s.paged
			s.mu.Unlock()
			switch {
			case body.NextPageToken == "page-2":
				w.Write([]byte(`{"isLast": true, "issues": []}`))
			case paged:
				var doc map[string]any
				json.Unmarshal(cloud, &doc)
				doc["isLast"], doc["nextPageToken"] = false, "page-2"
				json.NewEncoder(w).Encode(doc)
			default:
				w.Write(cloud)
			}
		case r.Method == http.MethodGet && r.URL.Path == "/rest/api/2/search":
			s.record(r.URL.Query().Get("jql"))
			if unknown(w, r.URL.Query().Get("jql")) {
				return
			}
			w.Write(server)
		default:
			w.WriteHeader(http.StatusNotFound)
			w.Write([]byte(`{"errorMessages":["null for uri: ` + r.URL.Path + `"]}`))
		}
	}))
	t.Cleanup(s.Close)
	return s
}

var jqlProject = regexp.MustCompile(`project = "([^"]+)"`)

func (s *Server) record(jql string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.jql = append(s.jql, jql)
}

// JQL returns the queries asked so far, in order.
func (s *Server) JQL() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.jql...)
}

// Paged makes the Cloud search answer in two pages: the example (with a
// nextPageToken) and an empty last page.
func (s *Server) Paged() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.paged = true
}

// Fail makes the next times answers at path (-1: all) the given status,
// headers and body.
func (s *Server) Fail(path string, times, status int, header http.Header, body string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail[path] = failure{status: status, header: header, body: body, times: times}
}
