package hub_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/auth"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/hub"
	"github.com/ospo-project/ospo/internal/store"
)

// TestInboxLoad measures a developer's inbox on TestLoad's synthetic
// estate: dev0042, a member of team07 (which owns 250 of 10,000 projects)
// who committed to about ten more, with every project scored twice (one
// drop in ten). It prints p50 and p99 of the inbox page, the API and the
// "me" page, with 8 concurrent clients, for SQLite and PostgreSQL, and the
// process's CPU time per request (what the hub costs, apart from the wait
// for a busy machine's cores). Like
// TestLoad it reports, it does not fail on a figure, and runs only when
// OSPO_HUB_LOAD is set:
//
//	OSPO_HUB_LOAD=10000 OSPO_HUB_LOAD_DB=/tmp/hubload.db scripts/test -run InboxLoad -v -timeout 2h ./internal/hub
func TestInboxLoad(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("OSPO_HUB_LOAD"))
	if n <= 0 {
		t.Skip("set OSPO_HUB_LOAD=10000 to run the inbox load test")
	}
	ctx := context.Background()
	const who = "dev0042@example.com"
	routes := []string{"/me/inbox", "/api/v1/inbox", "/api/v1/inbox?all=true", "/me"}
	var b strings.Builder
	run := func(name string, st store.Store) {
		fillLoad(t, ctx, name, st, n)
		if err := st.ReplaceMemberships(ctx, catalog.MemberFile,
			[]catalog.Membership{{Team: "team07", Email: who, Source: catalog.MemberFile}}, nil); err != nil {
			t.Fatal(err)
		}
		svc := auth.NewService(st)
		if _, err := st.Account(ctx, who); err != nil {
			if _, err := svc.CreateAccount(ctx, auth.Actor{Name: "bench", Source: "cli"}, who, catalog.RoleDeveloper, ""); err != nil {
				t.Fatal(err)
			}
		}
		secret, _, err := svc.CreateToken(ctx, auth.Actor{Name: "bench", Source: "cli"}, who, "bench", catalog.ScopeWrite, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		h, err := hub.New(st, slog.New(slog.DiscardHandler), hub.WithAuth(hub.AuthOptions{Service: svc, Required: true}))
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(h)
		defer srv.Close()
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: loadClients}}
		getAs := func(route string) (int, error) {
			req, _ := http.NewRequest(http.MethodGet, srv.URL+route, nil)
			req.Header.Set("Authorization", "Bearer "+secret)
			resp, err := client.Do(req)
			if err != nil {
				return 0, err
			}
			defer resp.Body.Close()
			_, err = io.Copy(io.Discard, resp.Body)
			return resp.StatusCode, err
		}
		// Scores: every project of dev0042's scored twice, one in ten
		// dropping by 2 points between the two.
		cat, err := st.ListProjects(ctx, store.ProjectFilter{Owner: "@acme/team07"})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range cat {
			for i, s := range []float64{7, 7 - 2*float64(btoi(p.ID%10 == 0))} {
				if err := st.AddScore(ctx, catalog.Scorecard{ProjectID: p.ID, Commit: fmt.Sprintf("c%d", i),
					ScoredAt: time.Date(2024, 6, 1+i, 0, 0, 0, 0, time.UTC), Score: s, Availability: 1}); err != nil {
					t.Fatal(err)
				}
			}
		}
		fmt.Fprintf(&b, "| %s |", name)
		for _, route := range routes {
			f, err := measureRoute(route, getAs, nil)
			if err != nil {
				t.Fatalf("%s: GET %s: %v", name, route, err)
			}
			p50, p99, cpu := f.p50, f.p99, f.cpu
			t.Logf("%-8s %-28s p50 %7.1f ms  p99 %7.1f ms  CPU %5.1f ms a request (server and client)", name, route, ms(p50), ms(p99), ms(cpu))
			fmt.Fprintf(&b, " %.1f / %.1f ms (CPU %.1f) |", ms(p50), ms(p99), ms(cpu))
		}
		b.WriteString("\n")
		// What the inbox holds, for the record.
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/v1/inbox", nil)
		req.Header.Set("Authorization", "Bearer "+secret)
		resp, err := client.Do(req)
		if err == nil {
			var in struct {
				Items []struct {
					Kind     string `json:"kind"`
					Projects []any  `json:"projects"`
				} `json:"items"`
			}
			json.NewDecoder(resp.Body).Decode(&in)
			resp.Body.Close()
			kinds := map[string]int{}
			for _, it := range in.Items {
				kinds[it.Kind]++
			}
			t.Logf("%s: %d items %v", name, len(in.Items), kinds)
		}
	}

	eachLoadStore(ctx, t, run)
	t.Logf("\n| store | %s |\n|---|---|---|---|---|\n%s", strings.Join(routes, " p50 / p99 | ")+" p50 / p99", b.String())
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
