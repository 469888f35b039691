package github_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/source/github"
	"github.com/ospo-project/ospo/internal/sourcesync"
	"github.com/ospo-project/ospo/internal/store/teststore"
)

// bigOrg serves an organisation of n repositories: GitHub's
// minimal-repository-items example repeated with varied ids and names, 100
// a page with Link headers and ETags, each repository without issues or
// releases. It counts requests and 304 answers.
func bigOrg(b *testing.B, n int) (*httptest.Server, *atomic.Int64, *atomic.Int64) {
	raw, err := os.ReadFile(filepath.Join("testdata", "api", "minimal-repository-items.json"))
	if err != nil {
		b.Fatal(err)
	}
	var example []map[string]any
	if err := json.Unmarshal(raw, &example); err != nil {
		b.Fatal(err)
	}
	pages := map[int][]byte{}
	for p := 0; p*100 < n; p++ {
		var page []map[string]any
		for i := p * 100; i < min(n, (p+1)*100); i++ {
			r := map[string]any{}
			for k, v := range example[0] {
				r[k] = v
			}
			r["id"] = 1000000 + i
			r["name"] = fmt.Sprintf("repo-%05d", i)
			r["full_name"] = fmt.Sprintf("octocat/repo-%05d", i)
			r["clone_url"] = fmt.Sprintf("https://github.com/octocat/repo-%05d.git", i)
			page = append(page, r)
		}
		pages[p+1], _ = json.Marshal(page)
	}
	var requests, notModified atomic.Int64
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		w.Header().Set("ETag", `"`+r.URL.Path+r.URL.Query().Get("page")+`"`)
		if r.Header.Get("If-None-Match") == w.Header().Get("ETag") {
			notModified.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		if r.URL.Path != "/orgs/octocat/repos" {
			w.Write([]byte("[]"))
			return
		}
		p, _ := strconv.Atoi(r.URL.Query().Get("page"))
		if p == 0 {
			p = 1
		}
		if _, ok := pages[p+1]; ok {
			w.Header().Set("Link", fmt.Sprintf(`<%s/orgs/octocat/repos?page=%d&per_page=100>; rel="next"`, srv.URL, p+1))
		}
		w.Write(pages[p])
	}))
	b.Cleanup(srv.Close)
	return srv, &requests, &notModified
}

// BenchmarkResync5000 syncs an organisation of 5,000 repositories once,
// then measures resyncs of it unchanged: each must cost one conditional
// request per page of the repository list (50), all answered 304.
//
//	go test -run '^$' -bench Resync5000 -benchtime 3x ./internal/source/github/
func BenchmarkResync5000(b *testing.B) {
	const n = 5000
	srv, requests, notModified := bigOrg(b, n)
	st := teststore.SQLite(b)
	src, err := github.New("gh", "octocat", github.Options{APIURL: srv.URL})
	if err != nil {
		b.Fatal(err)
	}
	job := []sourcesync.Job{{Name: "gh", Kind: catalog.SourceGitHub, Source: src}}
	start := time.Now()
	res, err := sourcesync.Run(context.Background(), st, job, nil)
	if err != nil || res[0].Err != nil {
		b.Fatal(err, res[0].Err)
	}
	first := requests.Load()
	b.Logf("first sync of %d repositories: %d requests in %s (minimum: %d list pages + %d issue and %d release listings = %d)",
		n, first, time.Since(start).Round(time.Millisecond), n/100, n, n, n/100+2*n)
	b.ResetTimer()
	for range b.N {
		before, nm := requests.Load(), notModified.Load()
		res, err := sourcesync.Run(context.Background(), st, job, nil)
		if err != nil || res[0].Err != nil {
			b.Fatal(err, res[0].Err)
		}
		if got, got304 := requests.Load()-before, notModified.Load()-nm; got != n/100 || got304 != n/100 {
			b.Fatalf("resync: %d requests, %d answered 304; want %d, all 304", got, got304, n/100)
		}
		changed := 0
		for _, r := range res[0].Outcome.Repos {
			if r.Changed {
				changed++
			}
		}
		if len(res[0].Outcome.Repos) != n || changed != 0 {
			b.Fatalf("resync listed %d repositories, %d changed; want %d, none", len(res[0].Outcome.Repos), changed, n)
		}
	}
	b.ReportMetric(float64(n/100), "requests/resync")
}
