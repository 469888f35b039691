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
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/events"
	"github.com/ospo-project/ospo/internal/hub"
	"github.com/ospo-project/ospo/internal/store"
)

// TestGamifyLoad measures the gamification and marketplace pages on
// TestLoad's synthetic estate (10,000 projects, 5,000 people) with, added
// once: ten events per project (100,000), every person in one of 40 teams,
// one person in ten consenting to the individual board, one project in
// twenty InnerSource and 50 open help posts. It prints the first request
// (which builds the per-generation caches) and p50/p99 of 200 requests from
// 8 clients per route, for SQLite and PostgreSQL. It reports, it does not
// fail on a figure, and runs only when OSPO_HUB_LOAD is set
// (OSPO_HUB_LOAD_ROUTES=REGEXP measures only the routes it matches):
//
//	OSPO_HUB_LOAD=10000 OSPO_HUB_LOAD_DB=/tmp/hubload.db scripts/test -run GamifyLoad -v -timeout 2h ./internal/hub
func TestGamifyLoad(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("OSPO_HUB_LOAD"))
	if n <= 0 {
		t.Skip("set OSPO_HUB_LOAD=10000 to run the gamification load test")
	}
	ctx := context.Background()
	routes := []string{"/leaderboard", "/api/v1/leaderboard", "/innersource", "/api/v1/innersource", "/api/v1/help-wanted"}
	var b strings.Builder
	run := func(name string, st store.Store) {
		fillLoad(t, ctx, name, st, n)
		fillGamify(t, ctx, name, st, n)
		h, err := hub.New(st, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(h)
		defer srv.Close()
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: loadClients}}
		get := func(route string) (int, error) {
			resp, err := client.Get(srv.URL + route)
			if err != nil {
				return 0, err
			}
			defer resp.Body.Close()
			_, err = io.Copy(io.Discard, resp.Body)
			return resp.StatusCode, err
		}
		fmt.Fprintf(&b, "| %s |", name)
		for _, route := range routes {
			if only := os.Getenv("OSPO_HUB_LOAD_ROUTES"); only != "" && !regexp.MustCompile(only).MatchString(route) {
				fmt.Fprintf(&b, " – |")
				continue
			}
			t0 := time.Now()
			if status, err := get(route); err != nil || status != 200 {
				t.Fatalf("%s: GET %s = %d, %v", name, route, status, err)
			}
			first := time.Since(t0)
			ds := make([]time.Duration, 0, loadRequests)
			var mu sync.Mutex
			var wg sync.WaitGroup
			var failed error
			for range loadClients {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for range loadRequests / loadClients {
						t0 := time.Now()
						status, err := get(route)
						d := time.Since(t0)
						mu.Lock()
						ds = append(ds, d)
						if err == nil && status != 200 {
							err = fmt.Errorf("status %d", status)
						}
						failed = cmpErr(failed, err)
						mu.Unlock()
					}
				}()
			}
			wg.Wait()
			if failed != nil {
				t.Fatalf("%s: GET %s: %v", name, route, failed)
			}
			slices.Sort(ds)
			p50, p99 := ds[len(ds)/2], ds[len(ds)*99/100]
			t.Logf("%-8s %-22s first %7.1f ms  p50 %7.1f ms  p99 %7.1f ms", name, route, ms(first), ms(p50), ms(p99))
			fmt.Fprintf(&b, " %.0f / %.1f / %.1f ms |", ms(first), ms(p50), ms(p99))
		}
		b.WriteString("\n")
	}

	eachLoadStore(ctx, t, run)
	t.Logf("\n| store | %s |\n|---|---|---|---|---|---|\n%s", strings.Join(routes, " first / p50 / p99 | ")+" first / p50 / p99", b.String())
}

// fillGamify adds the events, memberships, consents, InnerSource projects
// and help posts of TestGamifyLoad, unless the store has events already.
func fillGamify(t *testing.T, ctx context.Context, name string, st store.Store, n int) {
	t.Helper()
	if evs, err := st.Events(ctx, store.EventFilter{Limit: 1}); err != nil {
		t.Fatal(err)
	} else if len(evs) > 0 {
		t.Logf("%s: reusing the events already in the store", name)
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
	for i := range 50 {
		if _, err := st.SaveHelpPost(ctx, catalog.HelpPost{ProjectKey: fmt.Sprintf("github.com/acme/p%05d", i*20),
			Title: "help " + strconv.Itoa(i), Skills: []string{"Go", "pkg:npm/lodash"}, Size: "small",
			EndsAt: time.Now().UTC().AddDate(1, 0, 0), Author: "dev0001@example.com"}, nil); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("%s: %d events, %d memberships, InnerSource projects and help posts added in %s", name, n*10, len(ms), time.Since(start).Round(time.Second))
}
