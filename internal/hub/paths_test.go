package hub_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/hub"
)

// TestPathsHidden stores projects whose checkouts sit under a telling path
// (one keyed by its path, with a duplicate-checkout problem naming another)
// and checks that no page or API answer shows it unless hub.show_paths is
// set.
func TestPathsHidden(t *testing.T) {
	const secret = "/home/alice/secret-src"
	st := openSQLite(t)
	ctx := context.Background()
	id, err := st.ReplaceProject(ctx, &catalog.Project{
		Key: "path:" + secret + "/tool", Name: "tool", Path: secret + "/tool", HeadCommit: "abc",
		Problems: []catalog.Problem{
			{Kind: catalog.ProblemDuplicate, Path: secret + "/tool-copy",
				Message: "the same repository is also checked out at " + secret + "/tool-copy; " + secret + "/tool was scanned"},
			{Kind: catalog.ProblemUnreadable, Message: "open repository " + secret + "/tool: corrupt"},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.StartScan(ctx, catalog.ScanRun{StartedAt: time.Now(), Roots: []string{secret}}); err != nil {
		t.Fatal(err)
	}
	pid := strconv.FormatInt(id, 10)
	routes := []string{"/", "/projects", "/projects/" + pid, "/api/v1/estate", "/api/v1/projects",
		"/api/v1/projects/" + pid, "/api/v1/search?q=tool", "/search?q=tool"}
	for _, show := range []bool{false, true} {
		h, err := hub.New(st, slog.New(slog.DiscardHandler), hub.WithShowPaths(show), hub.WithSnapshotTTL(0))
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(h)
		seen := false
		for _, route := range routes {
			r := do(t, srv, "GET", route)
			if r.status != 200 {
				t.Errorf("show=%v GET %s: %d", show, route, r.status)
			}
			if strings.Contains(r.body, secret) {
				seen = true
				if !show {
					t.Errorf("GET %s shows the checkout's path:\n%s", route, r.body)
				}
			}
		}
		if show && !seen {
			t.Error("with hub.show_paths set, no answer shows the path")
		}
		srv.Close()
	}
}
