package hub_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/vuln"
)

// TestProjectFilters checks the project list's licence, kind and
// vulnerability filters, in the API and on the page, on an estate of
// three projects: one of each licence category, kind and exposure.
func TestProjectFilters(t *testing.T) { eachStore(t, testProjectFilters) }

func testProjectFilters(t *testing.T, open opener) {
	ctx := context.Background()
	st := open(t)
	lodash := func(v string) []catalog.Dependency {
		return []catalog.Dependency{{PURL: "pkg:npm/lodash@" + v, Ecosystem: "npm", Name: "lodash", Version: v, Direct: true, Manifest: "package-lock.json"}}
	}
	projects := []*catalog.Project{
		{Key: "github.com/acme/inner", Name: "inner", Path: "/src/inner", Kind: catalog.KindInnerSource,
			License: &catalog.ProjectLicense{Expression: "MIT OR GPL-3.0-only", Confidence: 1}, Dependencies: lodash("4.17.20")},
		{Key: "github.com/acme/outer", Name: "outer", Path: "/src/outer", Kind: catalog.KindOpenSource,
			License: &catalog.ProjectLicense{Expression: "GPL-3.0-only", Confidence: 1}, Dependencies: lodash("4.17.21")},
		{Key: "github.com/acme/plain", Name: "plain", Path: "/src/plain"},
	}
	ids := map[string]string{}
	for _, p := range projects {
		p.HeadCommit, p.ScannerVersion, p.ScannedAt = strings.Repeat("e", 40), catalog.ScannerVersion, t0
		id, err := st.ReplaceProject(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		ids[p.Name] = strconv.FormatInt(id, 10)
	}
	advs, rep, err := vuln.Load([]string{"../vuln/testdata/osv/GHSA-35jh-r3h4-6jhm.json"})
	if err != nil || rep.SkippedTotal() != 0 {
		t.Fatalf("load advisory: %v %v", err, rep.Examples)
	}
	if _, err := st.UpsertAdvisories(ctx, advs); err != nil {
		t.Fatal(err)
	}
	srv := newServer(t, st)

	tests := []struct {
		query  string
		status int
		want   []string // project names, in order
	}{
		{"", 200, []string{"inner", "outer", "plain"}},
		{"license=permissive", 200, []string{"inner"}}, // MIT OR GPL: the least restrictive choice
		{"license=Strong-Copyleft", 200, []string{"outer"}},
		{"license=unknown", 200, []string{"plain"}}, // no licence found
		{"license=proprietary", 200, []string{}},
		{"kind=innersource", 200, []string{"inner"}},
		{"kind=opensource", 200, []string{"outer"}},
		{"kind=internal", 200, []string{"plain"}}, // none declared
		{"vulnerable=true", 200, []string{"inner"}},
		{"vulnerable=false", 200, []string{"inner", "outer", "plain"}},
		{"vulnerable=true&license=strong-copyleft", 200, []string{}},
		{"q=o&kind=opensource", 200, []string{"outer"}},
		{"license=gpl", 400, nil},
		{"kind=secret", 400, nil},
		{"vulnerable=maybe", 400, nil},
	}
	for _, tc := range tests {
		path := "/api/v1/projects?" + tc.query
		r := do(t, srv, "GET", path)
		if r.status != tc.status {
			t.Errorf("GET %s = %d, want %d\n%s", path, r.status, tc.status, r.body)
			continue
		}
		if tc.status != 200 {
			continue
		}
		want := map[string]string{"items<len>": strconv.Itoa(len(tc.want)), "total": strconv.Itoa(len(tc.want))}
		for i, name := range tc.want {
			want["items."+strconv.Itoa(i)+".name"] = name
		}
		checkJSON(t, path, r.body, want)

		// The page lists the same projects.
		page := do(t, srv, "GET", "/projects?"+tc.query)
		for name, id := range ids {
			listed := strings.Contains(page.body, `<a href="/projects/`+id+`">`)
			if listed != slices.Contains(tc.want, name) {
				t.Errorf("GET /projects?%s: %s listed = %v, want %v", tc.query, name, listed, !listed)
			}
		}
	}
	page := do(t, srv, "GET", "/projects?kind=innersource&license=permissive&vulnerable=true")
	for _, s := range []string{`<option value="innersource" selected>InnerSource</option>`, `<option value="permissive" selected>`,
		`name="vulnerable" value="true" checked`} {
		if !strings.Contains(page.body, s) {
			t.Errorf("filtered page does not keep the filter: no %q", s)
		}
	}
}

// TestSearchMore checks that the search page links to the whole list when
// a kind has more matches than it shows.
func TestSearchMore(t *testing.T) { eachStore(t, testSearchMore) }

func testSearchMore(t *testing.T, open opener) {
	ctx := context.Background()
	st := open(t)
	for i := range 25 {
		name := "svc-" + strconv.Itoa(i)
		p := &catalog.Project{Key: "github.com/acme/" + name, Name: name, Path: "/src/" + name, ScannerVersion: catalog.ScannerVersion}
		if _, err := st.ReplaceProject(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	srv := newServer(t, st)
	r := do(t, srv, "GET", "/search?q=svc")
	if n := strings.Count(r.body, `<a href="/projects/`); n != 20 {
		t.Errorf("search lists %d projects, want 20", n)
	}
	if !strings.Contains(r.body, `<a href="/projects?q=svc">All 25 projects</a>`) {
		t.Errorf("no link to all 25 projects:\n%s", r.body)
	}
	if r := do(t, srv, "GET", "/search?q=svc-1"); strings.Contains(r.body, "All ") {
		t.Errorf("a search with few matches links to all of them")
	}
}
