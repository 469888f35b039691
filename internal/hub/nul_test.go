package hub_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/hub"
)

func TestNULInKeys(t *testing.T) { eachStore(t, testNULInKeys) }

// testNULInKeys: a package whose name holds a NUL (a lockfile can spell one
// as \u0000; its purl keeps it as %00) and lookups with NULs in their keys
// answer like any other, on PostgreSQL too, which refuses a NUL in text.
func testNULInKeys(t *testing.T, open opener) {
	ctx := context.Background()
	st := open(t)
	dep := catalog.Dependency{PURL: "pkg:npm/nul%00dep@1.0.0", Ecosystem: "npm", Name: "nul\x00dep", Version: "1.0.0", Direct: true, Manifest: "package-lock.json"}
	if _, err := st.ReplaceProject(ctx, &catalog.Project{Key: "github.com/acme/nul", Name: "nul", Path: "/src/nul",
		HeadCommit: strings.Repeat("a", 40), HeadDate: t0, Commits: 1, ScannerVersion: catalog.ScannerVersion, ScannedAt: t0,
		Dependencies: []catalog.Dependency{dep}}); err != nil {
		t.Fatal(err)
	}
	h, err := hub.New(st, slog.New(slog.NewTextHandler(tWriter{t}, nil)))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	for _, tc := range []struct {
		path   string
		status int
	}{
		{"/technologies/" + url.PathEscape("pkg:npm/nul%00dep"), 200},
		{"/api/v1/technologies/" + url.PathEscape("pkg:npm/nul%00dep"), 200},
		{"/technologies/" + url.PathEscape("pkg:npm/other%00dep"), 404},
		{"/api/v1/technologies/" + url.PathEscape("pkg:npm/other%00dep@1"), 404},
		{"/technologies/a%00b", 404},
		{"/people/a%00b", 404},
		{"/teams/a%00b", 404},
		{"/api/v1/search?q=a%00b", 200},
		{"/search?q=a%00b", 200},
	} {
		if r := do(t, srv, "GET", tc.path); r.status != tc.status {
			t.Errorf("GET %s = %d, want %d: %.200s", tc.path, r.status, tc.status, r.body)
		}
	}
}

type tWriter struct{ t *testing.T }

func (w tWriter) Write(b []byte) (int, error) { w.t.Log(string(b)); return len(b), nil }
