package hub_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/hub"
	"github.com/ospo-project/ospo/internal/rusage"
	"github.com/ospo-project/ospo/internal/store"
)

// healthContributors is how many contributors each project of
// TestHealthLoad's estate has (TestLoad's five and five more).
const healthContributors = 10

// TestHealthLoad measures the community health pages, API and their SVG
// charts on TestLoad's synthetic estate (10,000 projects, 5,000 people),
// with, written once (fillHealth), two years of weekly history for ten
// contributors a project (about 2 million contributor-weeks): the estate,
// a team of 250 projects and a project, with the windows users pick. The
// hub is started as ospo serve starts it (StartWarm). Per route it prints
// the first request, p50/p99 of 200 requests from 8 clients and the CPU
// per request (of this process); then, after one project is rescanned (its
// history replaced, as an incremental scan does), the first request to
// each route. For SQLite and PostgreSQL (see eachLoadStore). It reports,
// it does not fail on a figure, and runs only when OSPO_HUB_LOAD is set
// (OSPO_HUB_LOAD_ROUTES=REGEXP measures only the routes it matches):
//
//	OSPO_HUB_LOAD=10000 OSPO_HUB_LOAD_DB=/tmp/hubload.db scripts/test -run HealthLoad -v -timeout 2h ./internal/hub
func TestHealthLoad(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("OSPO_HUB_LOAD"))
	if n <= 0 {
		t.Skip("set OSPO_HUB_LOAD=10000 to run the health load test")
	}
	ctx := context.Background()
	var routes []string
	for _, r := range []string{"/health", "/health?weeks=13", "/health?weeks=260", "/api/v1/health", "/api/v1/health?weeks=26",
		"/teams/team07/health", "/teams/%40acme%2Fteam07/health?weeks=104", "/api/v1/teams/team07/health", "/api/v1/teams/team07/health?weeks=13",
		"/projects/{id}/health", "/projects/{id}/health?weeks=260", "/api/v1/projects/{id}/health", "/api/v1/projects/{id}/health?weeks=4"} {
		if only := os.Getenv("OSPO_HUB_LOAD_ROUTES"); only == "" || regexp.MustCompile(only).MatchString(r) {
			routes = append(routes, r)
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "load average at start %s\n\n| store | route | first request | p50 | p99 | CPU per request | first request after a rescan |\n|---|---|---|---|---|---|---|\n", loadAverage())
	run := func(name string, st store.Store) {
		fillLoad(t, ctx, name, st, n)
		fillHealth(t, ctx, name, st, n)
		p, err := st.Project(ctx, "github.com/acme/p00020")
		if err != nil {
			t.Fatal(err)
		}
		id := strconv.FormatInt(p.ID, 10)
		h, err := hub.New(st, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(h)
		defer srv.Close()
		wctx, stop := context.WithCancel(ctx)
		defer stop()
		warmed := make(chan error, 1)
		t0, c0 := time.Now(), rusage.CPU()
		h.StartWarm(wctx, func(_ time.Duration, err error) { warmed <- err })
		if err := <-warmed; err != nil {
			t.Fatal(err)
		}
		t.Logf("%-8s warm-up %.1f s, CPU %.1f s (load %s)", name, time.Since(t0).Seconds(), (rusage.CPU() - c0).Seconds(), loadAverage())
		fmt.Fprintf(&b, "| %s | warm-up before ready | %.1f s | | | CPU %.1f s | |\n", name, time.Since(t0).Seconds(), (rusage.CPU() - c0).Seconds())
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: loadClients}}
		get := func(route string) (int, string, error) {
			resp, err := client.Get(srv.URL + strings.Replace(route, "{id}", id, 1))
			if err != nil {
				return 0, "", err
			}
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			return resp.StatusCode, string(body), err
		}
		// The estate has health to show: commits in the default window.
		if status, body, err := get("/api/v1/health"); err != nil || status != 200 || !strings.Contains(body, `"commits":`) || strings.Contains(body, `"contributors":0,"went`) {
			t.Fatalf("%s: /api/v1/health = %d, %v: %.300s", name, status, err, body)
		}
		got := map[string]routeFigures{}
		for _, route := range routes {
			f, err := measureRoute(route, func(r string) (int, error) { status, _, err := get(r); return status, err }, nil)
			if err != nil {
				t.Fatalf("%s: GET %s: %v", name, route, err)
			}
			got[route] = f
			t.Logf("%-8s %-45s first %7.1f ms  p50 %7.1f ms  p99 %7.1f ms  CPU %6.2f ms/request (load %s)", name, route, ms(f.first), ms(f.p50), ms(f.p99), ms(f.cpu), loadAverage())
		}

		// One project rescanned: a new week of history, the generation
		// moves; the next requests must not wait for a rebuild.
		_, before, err := get("/api/v1/health")
		if err != nil {
			t.Fatal(err)
		}
		p, err = st.Project(ctx, "github.com/acme/p00001")
		if err != nil {
			t.Fatal(err)
		}
		now := catalog.WeekOf(time.Now().UTC())
		p.Contributors[0].Weeks = append(p.Contributors[0].Weeks, catalog.WeekActivity{Week: now, Commits: 1000})
		p.Contributors[0].Commits += 1000
		if _, err := st.ReplaceProject(ctx, p); err != nil {
			t.Fatal(err)
		}
		changed := time.Now()
		after, caught := afterWrite(t, routes, get, changed, "/api/v1/health", before)
		t.Logf("%-8s estate health shows the rescan %.2f s after it was saved", name, caught.Seconds())
		for _, route := range routes {
			f := got[route]
			fmt.Fprintf(&b, "| %s | `%s` | %.1f ms | %.1f ms | %.1f ms | %.2f ms | %.1f ms |\n", name, route, ms(f.first), ms(f.p50), ms(f.p99), ms(f.cpu), ms(after[route]))
		}
		fmt.Fprintf(&b, "| %s | estate health shows a rescanned project after | %.2f s | | | | |\n", name, caught.Seconds())
	}
	eachLoadStore(ctx, t, run)
	fmt.Fprintf(&b, "\nload average at the end %s\n", loadAverage())
	t.Logf("\n%s", b.String())
}

// fillHealth gives every project of TestLoad's estate healthContributors
// contributors with weekly history over the two years before now (a
// contributor active every second to every eleventh week, the last three
// of them gone quiet for the last 44 weeks), unless they have it already
// (projects written by an interrupted fill are kept).
func fillHealth(t *testing.T, ctx context.Context, name string, st store.Store, n int) {
	t.Helper()
	all, err := st.ListProjects(ctx, store.ProjectFilter{})
	if err != nil {
		t.Fatal(err)
	}
	done := map[string]bool{}
	for _, p := range all {
		done[p.Key] = len(p.Contributors) >= healthContributors
	}
	start := time.Now()
	now := catalog.WeekOf(start.UTC())
	written := 0
	for i := range n {
		key := fmt.Sprintf("github.com/acme/p%05d", i)
		if done[key] {
			continue
		}
		p, err := st.Project(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		p.Contributors = nil
		for c := range healthContributors {
			who := (i*3 + c*17) % loadPeople
			ct := catalog.Contribution{Identity: catalog.Identity{Name: fmt.Sprintf("Dev %04d", who), Email: fmt.Sprintf("dev%04d@example.com", who)},
				LinesAdded: 100}
			for w := range 104 {
				if (w+i+3*c)%(c+2) != 0 || (c >= healthContributors-3 && w >= 60) {
					continue
				}
				wk := now.AddDate(0, 0, -7*(103-w))
				k := 1 + (i+w)%3
				ct.Weeks = append(ct.Weeks, catalog.WeekActivity{Week: wk, Commits: k, LinesAdded: int64(10 * k)})
				ct.Commits += k
				if ct.FirstCommit.IsZero() {
					ct.FirstCommit = wk.Add(time.Hour)
				}
				ct.LastCommit = wk.Add(time.Hour)
			}
			p.Contributors = append(p.Contributors, ct)
		}
		if _, err := st.ReplaceProject(ctx, p); err != nil {
			t.Fatal(err)
		}
		written++
		if written%1000 == 0 {
			t.Logf("%s: history of %d projects written in %v", name, written, time.Since(start).Round(time.Second))
		}
	}
	if written > 0 {
		t.Logf("%s: two years of weekly history for %d projects written in %v", name, written, time.Since(start).Round(time.Second))
	}
}
