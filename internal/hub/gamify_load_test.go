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
	"github.com/ospo-project/ospo/internal/events"
	"github.com/ospo-project/ospo/internal/hub"
	"github.com/ospo-project/ospo/internal/rusage"
	"github.com/ospo-project/ospo/internal/store"
)

// TestGamifyLoad measures the gamification and marketplace pages on
// TestLoad's synthetic estate (10,000 projects, 5,000 people) with, added
// once: ten events per project (100,000), every person in one of 40 teams,
// one person in ten consenting to the individual board, one project in
// twenty InnerSource and 50 open help posts. The hub is started as ospo
// serve starts it (StartWarm: snapshot, tally and cards built before it
// is ready, the recommendation model after, in the background). It
// prints the warm-up, then per route the first request, p50/p99 of 200
// requests from 8 clients and the CPU per request (of this process: the
// hub, SQLite's work, and whatever runs in the background meanwhile; not
// PostgreSQL's server); then, after one project's new events are recorded
// (what an incremental scan does), the first request to each route and
// how long until the leaderboard shows them. For SQLite and PostgreSQL.
// It reports, it does not fail on a figure, and runs only when
// OSPO_HUB_LOAD is set (OSPO_HUB_LOAD_ROUTES=REGEXP measures only the
// routes it matches):
//
//	OSPO_HUB_LOAD=10000 OSPO_HUB_LOAD_DB=/tmp/hubload.db scripts/test -run GamifyLoad -v -timeout 2h ./internal/hub
func TestGamifyLoad(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("OSPO_HUB_LOAD"))
	if n <= 0 {
		t.Skip("set OSPO_HUB_LOAD=10000 to run the gamification load test")
	}
	ctx := context.Background()
	var routes []string
	for _, r := range []string{"/leaderboard", "/api/v1/leaderboard", "/innersource", "/api/v1/innersource", "/api/v1/help-wanted",
		"/api/v1/events?limit=100", "/api/v1/events?person=dev0001", "/api/v1/events?project=github.com/acme/p00020",
		"/api/v1/badges", "/people/dev0001", "/api/v1/people/dev0001/badges"} {
		if only := os.Getenv("OSPO_HUB_LOAD_ROUTES"); only == "" || regexp.MustCompile(only).MatchString(r) {
			routes = append(routes, r)
		}
	}
	var b strings.Builder
	b.WriteString("| store | route | first request | p50 | p99 | CPU per request | first request after new events |\n|---|---|---|---|---|---|---|\n")
	run := func(name string, st store.Store) {
		fillLoad(t, ctx, name, st, n)
		fillGamify(t, ctx, name, st, n)
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
		t.Logf("%-8s warm-up (snapshot, tally, cards) %.1f s, CPU %.1f s", name, time.Since(t0).Seconds(), (rusage.CPU() - c0).Seconds())
		fmt.Fprintf(&b, "| %s | warm-up before ready (snapshot, tally, cards) | %.1f s | | | CPU %.1f s | |\n", name, time.Since(t0).Seconds(), (rusage.CPU() - c0).Seconds())
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: loadClients}}
		get := func(route string) (int, string, error) {
			resp, err := client.Get(srv.URL + route)
			if err != nil {
				return 0, "", err
			}
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			return resp.StatusCode, string(body), err
		}
		// The recommendation model is built and warmed in the background
		// after the hub is ready; until then help-wanted lists no helpers.
		for {
			_, body, err := get("/api/v1/help-wanted")
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(body, `"helpers_pending":true`) {
				break
			}
			if time.Since(t0) > 30*time.Minute {
				t.Fatalf("%s: no recommendation model after 30 minutes", name)
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Logf("%-8s recommendation model built and warmed %.1f s after start", name, time.Since(t0).Seconds())
		fmt.Fprintf(&b, "| %s | recommendation model built and warmed after start (in the background) | %.1f s | | | | |\n", name, time.Since(t0).Seconds())
		got := map[string]routeFigures{}
		for _, route := range routes {
			f, err := measureRoute(route, func(r string) (int, error) { status, _, err := get(r); return status, err }, nil)
			if err != nil {
				t.Fatalf("%s: GET %s: %v", name, route, err)
			}
			got[route] = f
			t.Logf("%-8s %-45s first %7.1f ms  p50 %7.1f ms  p99 %7.1f ms  CPU %6.2f ms/request", name, route, ms(f.first), ms(f.p50), ms(f.p99), ms(f.cpu))
		}

		// One project's new events, as an incremental scan records them:
		// the generation moves, and the next requests must not wait.
		_, before, err := get("/api/v1/leaderboard")
		if err != nil {
			t.Fatal(err)
		}
		key := "github.com/acme/p00001"
		run := strconv.FormatInt(time.Now().UnixNano(), 10) // new events on a reused store too
		var evs []catalog.Event
		for k := range 10 {
			evs = append(evs, catalog.Event{ID: events.ID(events.KindDocs, key, "new", run, strconv.Itoa(k)), Kind: events.KindDocs,
				Source: catalog.EventGit, ProjectKey: key, Email: fmt.Sprintf("dev%04d@example.com", k), At: time.Now().UTC(),
				Points: 3, Summary: "new docs"})
		}
		if _, err := st.AddEvents(ctx, key, "", evs); err != nil {
			t.Fatal(err)
		}
		changed := time.Now()
		after, caught := afterWrite(t, routes, get, changed, "/api/v1/leaderboard", before)
		t.Logf("%-8s leaderboard shows the new events %.2f s after they were recorded (updated in the background)", name, caught.Seconds())
		for _, route := range routes {
			f := got[route]
			fmt.Fprintf(&b, "| %s | `%s` | %.1f ms | %.1f ms | %.1f ms | %.2f ms | %.1f ms |\n", name, route, ms(f.first), ms(f.p50), ms(f.p99), ms(f.cpu), ms(after[route]))
		}
		fmt.Fprintf(&b, "| %s | leaderboard shows one project's new events after | %.2f s | | | | |\n", name, caught.Seconds())
	}

	eachLoadStore(ctx, t, run)
	t.Logf("\n%s", b.String())
}

// fillGamify adds the events, memberships, consents, InnerSource projects
// and help posts of TestGamifyLoad, unless the store has events already.
func fillGamify(t *testing.T, ctx context.Context, name string, st store.Store, n int) {
	t.Helper()
	if evs, err := st.Events(ctx, store.EventFilter{Limit: 1}); err != nil {
		t.Fatal(err)
	} else if len(evs) > 0 {
		t.Logf("%s: reusing the events already in the store", name)
		fillHelp(t, ctx, st, n)
		return
	}
	start := time.Now()
	at := time.Date(2024, 6, 3, 10, 0, 0, 0, time.UTC)
	kinds := []string{events.KindFirstContribution, events.KindDocs, events.KindCrossTeam, events.KindReview, events.KindVulnFixed}
	for i := range n {
		key := fmt.Sprintf("github.com/acme/p%05d", i)
		var evs []catalog.Event
		for k := range 10 {
			who := (i*loadContributed + k) % loadPeople
			kind := kinds[k%len(kinds)]
			evs = append(evs, catalog.Event{ID: events.ID(kind, key, strconv.Itoa(k)), Kind: kind, Source: catalog.EventGit,
				ProjectKey: key, Email: fmt.Sprintf("dev%04d@example.com", who), At: at.AddDate(0, 0, -(i+k)%300),
				Points: 5, Summary: kind + " in " + key, Evidence: []catalog.Evidence{{Kind: "commit", Value: fmt.Sprintf("%040x", i*10+k)}}})
		}
		if _, err := st.AddEvents(ctx, key, "", evs); err != nil {
			t.Fatal(err)
		}
	}
	var ms []catalog.Membership
	for p := range loadPeople {
		email := fmt.Sprintf("dev%04d@example.com", p)
		ms = append(ms, catalog.Membership{Team: fmt.Sprintf("team%02d", p%40), Email: email, Source: catalog.MemberFile})
		if p%10 == 0 {
			if err := st.SetLeaderboardOptIn(ctx, email, true, nil); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := st.ReplaceMemberships(ctx, catalog.MemberFile, ms, nil); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i += 20 {
		p, err := st.Project(ctx, fmt.Sprintf("github.com/acme/p%05d", i))
		if err != nil {
			t.Fatal(err)
		}
		p.Kind = catalog.KindInnerSource
		if _, err := st.ReplaceProject(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	fillHelp(t, ctx, st, n)
	t.Logf("%s: %d events, %d memberships, InnerSource projects and help posts added in %s", name, n*10, len(ms), time.Since(start).Round(time.Second))
}

// fillHelp adds TestGamifyLoad's 50 open help posts, unless the store has
// open posts already.
func fillHelp(t *testing.T, ctx context.Context, st store.Store, n int) {
	t.Helper()
	if hs, err := st.HelpPosts(ctx, store.HelpFilter{OpenAt: time.Now()}); err != nil {
		t.Fatal(err)
	} else if len(hs) > 0 {
		return
	}
	for i := range 50 {
		if _, err := st.SaveHelpPost(ctx, catalog.HelpPost{ProjectKey: fmt.Sprintf("github.com/acme/p%05d", i*20),
			Title: "help " + strconv.Itoa(i), Skills: []string{"Go", "pkg:npm/lodash"}, Size: "small",
			EndsAt: time.Now().UTC().AddDate(1, 0, 0), Author: "dev0001@example.com"}, nil); err != nil {
			t.Fatal(err)
		}
	}
}
