// Package artifactorytest serves a fake Artifactory for tests: its REST
// API answers with JFrog's published sample outputs and real build-info
// documents (../testdata/api, see SOURCE.md there), checking the bearer
// token.
//
// A local stand-in does only what it must: it evaluates the few AQL
// criteria ospo sends (the repository, and "updated or downloaded after")
// with offset and limit over the fixtures' rows, answers Build Runs from
// the build-info documents, and Download adds a download to a file.
package artifactorytest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Base is the path Artifactory is served under.
const Base = "/artifactory"

// Server is a fake Artifactory at URL+Base.
type Server struct {
	*httptest.Server
	// Token, when set, is the bearer token requests must carry.
	Token string

	requests atomic.Int64
	mu       sync.Mutex
	items    map[string][]map[string]any // AQL repository → rows
	fail     map[string]int              // path → status to answer
	garbage  map[string]bool             // path → answer malformed JSON
}

// builds are the fake's builds: name → build-info fixture, and the run
// number Artifactory lists (the Maven document carries none).
var builds = []struct{ name, number, file string }{
	{"go-build", "1", "build-info-go.json"},
	{"maven-build", "1", "build-info-maven.json"},
}

var (
	repoCrit  = regexp.MustCompile(`"repo":"([^"]+)"`)
	sinceCrit = regexp.MustCompile(`"\$gt":"([^"]+)"`)
	offsetArg = regexp.MustCompile(`\.offset\((\d+)\)`)
	limitArg  = regexp.MustCompile(`\.limit\((\d+)\)`)
)

// New starts a fake Artifactory; it closes when the test ends.
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
	s := &Server{items: map[string][]map[string]any{}, fail: map[string]int{}, garbage: map[string]bool{}}
	for _, f := range []string{"aql-docs-sample.json", "aql-remote-cache.json"} {
		var doc struct {
			Results []map[string]any `json:"results"`
		}
		if err := json.Unmarshal(read(f), &doc); err != nil {
			t.Fatal(err)
		}
		for _, it := range doc.Results {
			repo := it["repo"].(string)
			s.items[repo] = append(s.items[repo], it)
		}
	}
	repos, all := read("repositories.json"), read("builds.json")
	infos := map[string]json.RawMessage{}
	for _, b := range builds {
		infos[b.name] = read(b.file)
	}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(1)
		if s.Token != "" && r.Header.Get("Authorization") != "Bearer "+s.Token {
			writeError(w, http.StatusUnauthorized, "Bad credentials")
			return
		}
		p := strings.TrimPrefix(r.URL.Path, Base)
		s.mu.Lock()
		status, garbage := s.fail[p], s.garbage[p]
		s.mu.Unlock()
		if status != 0 {
			writeError(w, status, "Internal Server Error")
			return
		}
		w.Header().Set("Content-Type", "application/json")
		if garbage {
			w.Write([]byte(`{"results" : [ {"repo" : `))
			return
		}
		switch {
		case r.Method == http.MethodGet && p == "/api/repositories":
			w.Write(repos)
		case r.Method == http.MethodPost && p == "/api/search/aql":
			s.aql(w, r)
		case r.Method == http.MethodGet && p == "/api/build":
			w.Write(all)
		case r.Method == http.MethodGet && strings.HasPrefix(p, "/api/build/"):
			name, number, hasNumber := strings.Cut(strings.TrimPrefix(p, "/api/build/"), "/")
			info, ok := infos[name]
			if !ok {
				writeError(w, http.StatusNotFound, "No build was found for build name: "+name)
				return
			}
			var doc struct {
				Started string `json:"started"`
			}
			json.Unmarshal(info, &doc)
			if !hasNumber {
				fmt.Fprintf(w, `{"uri": %q, "buildsNumbers": [{"uri": "/1", "started": %q}]}`, s.URL+r.URL.Path, doc.Started)
				return
			}
			if number != "1" {
				writeError(w, http.StatusNotFound, "No build was found for build name: "+name+", build number: "+number)
				return
			}
			fmt.Fprintf(w, `{"uri": %q, "buildInfo": %s}`, s.URL+r.URL.Path, info)
		default:
			writeError(w, http.StatusNotFound, "Not Found")
		}
	}))
	t.Cleanup(s.Close)
	return s
}

// aql answers an items.find query over the fixtures' rows.
func (s *Server) aql(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<16))
	if err != nil {
		writeError(w, http.StatusBadRequest, "unreadable")
		return
	}
	q := string(body)
	m := repoCrit.FindStringSubmatch(q)
	if !strings.HasPrefix(q, "items.find(") || m == nil {
		writeError(w, http.StatusBadRequest, "Failed to parse query")
		return
	}
	var since time.Time
	if g := sinceCrit.FindStringSubmatch(q); g != nil {
		since, _ = time.Parse(time.RFC3339Nano, g[1])
	}
	offset, limit := 0, 1<<30
	if g := offsetArg.FindStringSubmatch(q); g != nil {
		offset, _ = strconv.Atoi(g[1])
	}
	if g := limitArg.FindStringSubmatch(q); g != nil {
		limit, _ = strconv.Atoi(g[1])
	}
	s.mu.Lock()
	var rows []map[string]any
	for _, it := range s.items[m[1]] {
		if !since.IsZero() && !after(it, since) {
			continue
		}
		rows = append(rows, it)
	}
	end := min(len(rows), offset+limit)
	page := []map[string]any{}
	if offset < end {
		page = rows[offset:end]
	}
	out, _ := json.Marshal(map[string]any{"results": page,
		"range": map[string]any{"start_pos": offset, "end_pos": offset + len(page), "total": len(page), "limit": limit}})
	s.mu.Unlock()
	w.Write(out)
}

// after reports whether a row was updated or downloaded after t.
func after(it map[string]any, t time.Time) bool {
	stamps := []any{it["updated"]}
	if st, ok := it["stats"].([]any); ok {
		for _, x := range st {
			stamps = append(stamps, x.(map[string]any)["downloaded"])
		}
	}
	for _, v := range stamps {
		if s, ok := v.(string); ok {
			if u, err := time.Parse(time.RFC3339Nano, s); err == nil && u.After(t) {
				return true
			}
		}
	}
	return false
}

// writeError answers with Artifactory's error document.
func writeError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"errors" : [ {"status" : %d, "message" : %q} ]}`, status, msg)
}

// URLBase is the base URL to give the source.
func (s *Server) URLBase() string { return s.URL + Base }

// Requests returns the requests answered so far.
func (s *Server) Requests() int { return int(s.requests.Load()) }

// Download records a download of the file name in the AQL repository repo
// (e.g. "jcenter-cache") at the time at.
func (s *Server) Download(repo, name string, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, it := range s.items[repo] {
		if it["name"] != name {
			continue
		}
		st, _ := it["stats"].([]any)
		if len(st) == 0 {
			st = []any{map[string]any{"downloads": 0.0}}
			it["stats"] = st
		}
		stat := st[0].(map[string]any)
		stat["downloads"] = stat["downloads"].(float64) + 1
		stat["downloaded"] = at.UTC().Format("2006-01-02T15:04:05.000Z")
		stat["downloaded_by"] = "ci-bot"
	}
}

// Fail makes the API path p (below Base) answer status; 0 heals it.
func (s *Server) Fail(p string, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail[p] = status
}

// Garbage makes the API path p answer malformed JSON, or heals it.
func (s *Server) Garbage(p string, on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.garbage[p] = on
}
