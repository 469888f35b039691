package hub_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/hub"
	"github.com/ospo-project/ospo/internal/store"
)

var t0 = time.Date(2024, 1, 10, 10, 0, 0, 0, time.UTC)

const (
	scriptDescription = `Settles payments <script>alert(1)</script> between ledgers`
	evilName          = `"><img src=x onerror=alert(1)>`
)

// fixture is a real store (SQLite or PostgreSQL) holding two projects and two people.
type fixture struct {
	st               store.Store
	alphaID, evilID  int64
	alphaPath, owner string
}

func newFixture(t *testing.T, open opener) fixture {
	t.Helper()
	ctx := context.Background()
	st := open(t)
	var err error

	contribution := func(name, email string, commits int) catalog.Contribution {
		return catalog.Contribution{Identity: catalog.Identity{Name: name, Email: email}, Commits: commits,
			LinesAdded: int64(10 * commits), LinesRemoved: int64(commits), FirstCommit: t0.AddDate(0, -1, 0), LastCommit: t0,
			Weeks: []catalog.WeekActivity{
				{Week: catalog.WeekOf(t0.AddDate(0, -1, 0)), Commits: commits - 1, LinesAdded: int64(10 * (commits - 1)), LinesRemoved: int64(commits - 1)},
				{Week: catalog.WeekOf(t0), Commits: 1, LinesAdded: 10, LinesRemoved: 1},
			}}
	}
	alpha := &catalog.Project{
		Key: "github.com/acme/alpha", Name: "alpha", Path: "/src/alpha",
		RemoteURL: "https://github.com/acme/alpha.git", DefaultBranch: "main",
		HeadCommit: strings.Repeat("a", 40), HeadDate: t0,
		Description: scriptDescription, Kind: catalog.KindInternal, Lifecycle: "production",
		Topics:    []string{"payments", "ledger"},
		Languages: []catalog.Language{{Name: "Go", Bytes: 900, Files: 3}, {Name: "Shell", Bytes: 100, Files: 1}},
		Owners:    []catalog.Owner{{Owner: "@acme/payments", Source: catalog.OwnerCodeowners, Path: ".github/CODEOWNERS", Pattern: "*"}},
		Contributors: []catalog.Contribution{
			contribution("Jane Doe", "jane@example.com", 7),
			contribution("Bob Stone", "bob@example.com", 2),
		},
		Dependencies: []catalog.Dependency{
			{PURL: "pkg:golang/github.com/spf13/cobra@v1.8.0", Ecosystem: "Go", Name: "github.com/spf13/cobra", Version: "v1.8.0",
				Direct: true, Manifest: "go.mod", DependsOn: []string{"pkg:golang/github.com/spf13/pflag@v1.0.5"}},
			{PURL: "pkg:golang/github.com/spf13/pflag@v1.0.5", Ecosystem: "Go", Name: "github.com/spf13/pflag", Version: "v1.0.5",
				Manifest: "go.mod"},
		},
		Commits:  9,
		Problems: []catalog.Problem{{Kind: catalog.ProblemParse, Path: "package.json", Message: "unexpected end of JSON input"}},
		Readme: &catalog.Readme{Path: "README.md", Format: catalog.ReadmeMarkdown, Truncated: true,
			Text: "# Alpha ledger\n\nSee [the guide](docs/guide.md) or [the site](https://alpha.example/).\n\n" +
				"<script>alert(5)</script>\n\n![the logo](logo.png) <img src=x onerror=alert(6)>\n\n[js](javascript:alert(7))\n"},
		Expertise: &catalog.Expertise{Files: 4, TruckFactor: 1, AbsenceFactor: 1,
			KeyPeople: []catalog.Identity{{Name: "Jane Doe", Email: "jane@example.com"}},
			Authors: []catalog.Author{
				{Identity: catalog.Identity{Name: "Jane Doe", Email: "jane@example.com"}, Files: 3, Share: 0.75, LastChange: t0},
				{Identity: catalog.Identity{Name: "Bob Stone", Email: "bob@example.com"}, Files: 1, Share: 0.25},
			},
			Dirs: []catalog.DirAuthorship{{Dir: "cmd/ledger", Files: 3, Authors: []catalog.Author{
				{Identity: catalog.Identity{Name: "Jane Doe", Email: "jane@example.com"}, Files: 3, Share: 1}}}},
		},
		ScannerVersion: catalog.ScannerVersion, ScannedAt: t0,
	}
	evil := &catalog.Project{
		Key: "path:/src/evil", Name: evilName, Path: "/src/evil",
		Description: `<b onmouseover="alert(2)">bold</b>`,
		HeadCommit:  strings.Repeat("b", 40), HeadDate: t0,
		Contributors: []catalog.Contribution{
			contribution(`Mallory <script>alert(3)</script>`, "mallory@example.com", 1),
		},
		Languages: []catalog.Language{{Name: "Go", Bytes: 10, Files: 1}},
		Dependencies: []catalog.Dependency{
			{PURL: "pkg:golang/github.com/spf13/cobra@v1.7.0", Ecosystem: "Go", Name: "github.com/spf13/cobra", Version: "v1.7.0",
				Direct: true, Manifest: "go.mod"},
		},
		Expertise: &catalog.Expertise{Files: 1, TruckFactor: 1,
			KeyPeople: []catalog.Identity{{Name: `Mallory <script>alert(3)</script>`, Email: "mallory@example.com"}},
			Authors:   []catalog.Author{{Identity: catalog.Identity{Name: `Mallory <script>alert(3)</script>`, Email: "mallory@example.com"}, Files: 1, Share: 1}},
			Dirs: []catalog.DirAuthorship{{Dir: `<img src=x onerror=alert(8)>`, Files: 1, Authors: []catalog.Author{
				{Identity: catalog.Identity{Name: `Mallory <script>alert(3)</script>`, Email: "mallory@example.com"}, Files: 1, Share: 1}}}},
		},
		Commits: 1, ScannerVersion: catalog.ScannerVersion, ScannedAt: t0,
	}
	f := fixture{st: st, alphaPath: alpha.Path, owner: "@acme/payments"}
	if f.alphaID, err = st.ReplaceProject(ctx, alpha); err != nil {
		t.Fatal(err)
	}
	if f.evilID, err = st.ReplaceProject(ctx, evil); err != nil {
		t.Fatal(err)
	}
	people := []catalog.Person{
		{ID: "jane", Name: "Jane Doe", Email: "jane@example.com", Identities: []catalog.Identity{{Name: "Jane Doe", Email: "jane@example.com"}}},
		{ID: "bob", Name: "Bob Stone", Email: "bob@example.com", Identities: []catalog.Identity{{Name: "Bob Stone", Email: "bob@example.com"}}},
		{ID: "mallory", Name: `Mallory <script>alert(3)</script>`, Email: "mallory@example.com",
			Identities: []catalog.Identity{{Name: `Mallory <script>alert(3)</script>`, Email: "mallory@example.com"}}},
	}
	if err := st.ReplacePeople(ctx, people); err != nil {
		t.Fatal(err)
	}
	run := catalog.ScanRun{StartedAt: t0, Roots: []string{"/src"}}
	if run.ID, err = st.StartScan(ctx, run); err != nil {
		t.Fatal(err)
	}
	run.FinishedAt, run.Found, run.Scanned, run.Problems = t0.Add(time.Minute), 2, 2, 1
	if err := st.FinishScan(ctx, run); err != nil {
		t.Fatal(err)
	}
	return f
}

func newServer(t *testing.T, st store.Store) *httptest.Server {
	t.Helper()
	h, err := hub.New(st, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("hub.New: %v", err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

type response struct {
	status int
	header http.Header
	body   string
}

func do(t *testing.T, srv *httptest.Server, method, path string) response {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{resp.StatusCode, resp.Header, string(body)}
}

func TestPages(t *testing.T) { eachStore(t, testPages) }

func testPages(t *testing.T, open opener) {
	f := newFixture(t, open)
	srv := newServer(t, f.st)
	alpha := "/projects/" + strconv.FormatInt(f.alphaID, 10)
	evil := "/projects/" + strconv.FormatInt(f.evilID, 10)

	tests := []struct {
		name   string
		method string
		path   string
		status int
		// html pages carry text/html; others are plain text.
		html    bool
		want    []string
		notWant []string
	}{
		{
			name: "overview", method: "GET", path: "/", status: 200, html: true,
			want: []string{"<h1>Estate</h1>", `href="` + alpha + `"`, ">alpha</a>",
				"<strong>2</strong> projects", "<strong>3</strong> people", "<strong>2</strong> packages", "<strong>1</strong> teams",
				"Last scan 2024-01-10: 2 repositories, 2 scanned", `<a href="/technologies/Go">Go</a>`, "2024-01-10",
				`<svg class="chart" role="img" aria-label="Projects by language"`, "<title>Go: 2</title>",
				`aria-label="Projects by month of their last commit"`, "<title>2024-01: 2</title>",
				"package.json: unexpected end of JSON input", `<a href="/teams/@acme%2Fpayments">@acme/payments</a>`,
				`<link rel="stylesheet" href="/static/style.css">`, `<form action="/search" method="get" role="search">`},
			notWant: []string{"<style", "style=", "<script"},
		},
		{
			name: "projects", method: "GET", path: "/projects", status: 200, html: true,
			want: []string{"<h1>Projects</h1>", `href="` + alpha + `"`, `href="` + evil + `"`, "1–2 of 2"},
		},
		{
			name: "projects filtered by language", method: "GET", path: "/projects?language=shell", status: 200, html: true,
			want: []string{`href="` + alpha + `"`, `value="shell"`}, notWant: []string{`href="` + evil + `"`},
		},
		{
			name: "projects filtered by owner", method: "GET", path: "/projects?owner=%40acme%2Fpayments", status: 200, html: true,
			want: []string{`href="` + alpha + `"`}, notWant: []string{`href="` + evil + `"`},
		},
		{
			name: "projects searched", method: "GET", path: "/projects?q=ledgers", status: 200, html: true,
			want: []string{`href="` + alpha + `"`}, notWant: []string{`href="` + evil + `"`},
		},
		{
			name: "projects paged", method: "GET", path: "/projects?limit=1", status: 200, html: true,
			want: []string{"1–1 of 2", `rel="next"`, "offset=1"}, notWant: []string{`rel="prev"`},
		},
		{
			name: "projects by commits, second page", method: "GET", path: "/projects?sort=commits&limit=1&offset=1", status: 200, html: true,
			want:    []string{`href="` + evil + `"`, "2–2 of 2", `rel="prev"`, `<option value="commits" selected>`},
			notWant: []string{`href="` + alpha + `"`, `rel="next"`},
		},
		{name: "projects bad sort", method: "GET", path: "/projects?sort=evil", status: 400, want: []string{"unknown sort"}},
		{name: "projects bad limit", method: "GET", path: "/projects?limit=x", status: 400, want: []string{"limit is not a number"}},
		{name: "projects negative offset", method: "GET", path: "/projects?offset=-1", status: 400},
		{
			name: "project", method: "GET", path: alpha, status: 200, html: true,
			want: []string{"<h1>alpha</h1>", "github.com/acme/alpha", "https://github.com/acme/alpha.git",
				strings.Repeat("a", 40) + " (2024-01-10)", "production", "payments, ledger",
				`<a href="/technologies/Go">Go</a>`, "90.0%", `<a href="/teams/@acme%2Fpayments">@acme/payments</a>`, ".github/CODEOWNERS",
				`<a href="/people/jane">Jane Doe</a>`, "+70 −7", "unexpected end of JSON input", "<title>alpha · ospo</title>",
				"1 direct, 1 transitive", `<a href="/technologies/pkg:golang%2Fgithub.com%2Fspf13%2Fcobra">github.com/spf13/cobra</a>`,
				`href="?deps=all"`, `aria-label="Commits per week"`, "<title>2024-01-08: 2</title>",
				`href="/api/v1/projects/` + strconv.FormatInt(f.alphaID, 10) + `/sbom/cyclonedx"`, "/sbom/spdx",
				// The README, rendered and sanitised: links resolved against the forge, images as alt text.
				"<h2>README</h2>", "README.md · the first 16 KiB", `<div class="readme"><h3>Alpha ledger</h3>`,
				`<a href="https://github.com/acme/alpha/blob/HEAD/docs/guide.md" rel="nofollow noreferrer">the guide</a>`,
				`<a href="https://alpha.example/" rel="nofollow noreferrer">the site</a>`, "the logo",
				// Who knows the code: the truck factor, authors linked to their person, directories.
				"<h2>Who knows this code</h2>", "<strong>Truck factor 1</strong> (Jane Doe): if this person leaves", "half of the 4 files",
				`<td><a href="/people/jane">Jane Doe</a></td><td class="num">3</td><td class="num">75%</td><td>2024-01-10</td>`,
				`<td><a href="/people/bob">Bob Stone</a></td><td class="num">1</td><td class="num">25%</td><td>-</td>`,
				"<td>cmd/ledger/</td>", "Jane Doe (100%)"},
			notWant: []string{"github.com/spf13/pflag", "style=", "alert(5)", "alert(6)", "javascript:", "logo.png"},
		},
		{
			name: "project with its dependency tree", method: "GET", path: alpha + "?deps=all", status: 200, html: true,
			want: []string{"github.com/spf13/pflag</a>", "transitive", "pkg:golang/github.com/spf13/pflag@v1.0.5", "Direct only"},
		},
		{
			name: "project by name is not an id", method: "GET", path: "/projects/alpha", status: 404,
			want: []string{"not found"},
		},
		{name: "project unknown", method: "GET", path: "/projects/999", status: 404, want: []string{"not found"}},
		{name: "project not a number", method: "GET", path: "/projects/abc", status: 404, want: []string{"not found"}},
		{name: "project negative", method: "GET", path: "/projects/-1", status: 404, want: []string{"not found"}},
		{name: "project overflow", method: "GET", path: "/projects/99999999999999999999", status: 404, want: []string{"not found"}},
		{
			name: "technologies", method: "GET", path: "/technologies", status: 200, html: true,
			want: []string{"<h1>Technologies</h1>", `<a href="/technologies/Go">Go</a>`,
				`<a href="/technologies/pkg:golang%2Fgithub.com%2Fspf13%2Fcobra">github.com/spf13/cobra</a>`},
		},
		{
			name: "technologies of one kind", method: "GET", path: "/technologies?kind=language", status: 200, html: true,
			want: []string{`<a href="/technologies/Go">Go</a>`, "Shell"}, notWant: []string{"cobra"},
		},
		{name: "technologies bad kind", method: "GET", path: "/technologies?kind=evil", status: 400},
		{
			name: "package", method: "GET", path: "/technologies/pkg:golang%2Fgithub.com%2Fspf13%2Fcobra", status: 200, html: true,
			want: []string{"<h1>github.com/spf13/cobra</h1>", "used by 2 projects in 2 versions",
				`aria-label="Projects by version"`, "<title>v1.8.0: 1</title>", "<title>v1.7.0: 1</title>",
				`<a href="` + alpha + `">alpha</a>`, `href="` + evil + `"`,
				`<a href="/people/jane">Jane Doe</a>`, `<a href="/people/bob">Bob Stone</a>`,
				// Who knows the code, by authorship: Jane's dated 75% of alpha first.
				`<section id="authorship"><h2>Who knows the code</h2>`,
				`<tr><td><a href="/people/jane">Jane Doe</a></td>`, `75% of <a href="` + alpha + `">alpha</a> (last 2024-01-10)`,
				`100% of <a href="` + evil + `">`},
		},
		{
			name: "language", method: "GET", path: "/technologies/Shell", status: 200, html: true,
			want: []string{"<h1>Shell</h1>", "used by 1 projects", `<a href="` + alpha + `">alpha</a>`, `<a href="/people/jane">Jane Doe</a>`,
				`<section id="authorship">`, `25% of <a href="` + alpha + `">alpha</a> (last -)`},
			notWant: []string{`href="` + evil + `"`, "Mallory"},
		},
		{name: "package unknown", method: "GET", path: "/technologies/pkg:npm%2Fleft-pad", status: 404},
		{name: "language unknown", method: "GET", path: "/technologies/COBOL", status: 404},
		{
			name: "people", method: "GET", path: "/people", status: 200, html: true,
			want: []string{"<h1>People</h1>", `<a href="/people/jane">Jane Doe</a>`, `<a href="/people/bob">Bob Stone</a>`},
		},
		{
			name: "people searched", method: "GET", path: "/people?q=jane", status: 200, html: true,
			want: []string{`<a href="/people/jane">Jane Doe</a>`}, notWant: []string{"Bob Stone"},
		},
		{
			name: "person", method: "GET", path: "/people/jane", status: 200, html: true,
			want: []string{"<h1>Jane Doe</h1>", "jane@example.com · 7 commits", "+70 −7 lines",
				`<a href="` + alpha + `">alpha</a>`, "<li>Jane Doe &lt;jane@example.com&gt;</li>",
				`<a href="/technologies/Go">Go</a>`, `<a href="/technologies/pkg:golang%2Fgithub.com%2Fspf13%2Fcobra">github.com/spf13/cobra</a>`,
				`<a href="/teams/@acme%2Fpayments">@acme/payments</a>`, "<title>2024-01-08: 1</title>", "<title>2023-12-04: 6</title>"},
			notWant: []string{"github.com/spf13/pflag"}, // transitive: not evidence
		},
		{
			name: "person by email", method: "GET", path: "/people/bob@example.com", status: 200, html: true,
			want: []string{"<h1>Bob Stone</h1>"},
		},
		{name: "person unknown", method: "GET", path: "/people/nobody", status: 404, want: []string{"not found"}},
		{
			name: "teams", method: "GET", path: "/teams", status: 200, html: true,
			want: []string{"<h1>Teams</h1>", `<a href="/teams/@acme%2Fpayments">@acme/payments</a>`},
		},
		{
			name: "team", method: "GET", path: "/teams/@acme%2Fpayments", status: 200, html: true,
			want:    []string{"<h1>@acme/payments</h1>", `<a href="` + alpha + `">alpha</a>`, `<a href="/people/jane">Jane Doe</a>`, `<a href="/people/bob">Bob Stone</a>`},
			notWant: []string{`href="` + evil + `"`},
		},
		{name: "team unknown", method: "GET", path: "/teams/@acme%2Fnobody", status: 404},
		{
			name: "search", method: "GET", path: "/search?q=cobra", status: 200, html: true,
			want: []string{"Results for <strong>cobra</strong>", "<h2>Packages</h2>", `<a href="/technologies/pkg:golang%2Fgithub.com%2Fspf13%2Fcobra">github.com/spf13/cobra</a>`},
		},
		{
			name: "search across kinds", method: "GET", path: "/search?q=a", status: 200, html: true,
			want: []string{"<h2>Projects</h2>", `href="` + alpha + `"`, "<h2>People</h2>", `<a href="/people/jane">Jane Doe</a>`, "<h2>Teams</h2>"},
		},
		{
			name: "search for a person", method: "GET", path: "/search?q=jane", status: 200, html: true,
			want: []string{`<a href="/people/jane">Jane Doe</a>`}, notWant: []string{"Bob Stone", "<h2>Projects</h2>"},
		},
		{name: "search for nothing", method: "GET", path: "/search?q=zzzz", status: 200, html: true, want: []string{"Nothing matches."}},
		{
			name: "search query reflected escaped", method: "GET", path: "/search?q=%3Cscript%3Ealert(9)%3C/script%3E", status: 200, html: true,
			want:    []string{"Results for <strong>&lt;script&gt;alert(9)&lt;/script&gt;</strong>"},
			notWant: []string{"<script>alert(9)"},
		},
		{name: "style sheet", method: "GET", path: "/static/style.css", status: 200, want: []string{"svg.chart rect"}},
		{name: "no static directory listing", method: "GET", path: "/static/", status: 404},
		{name: "no static escape", method: "GET", path: "/static/../hub.go", status: 404},
		{name: "healthz", method: "GET", path: "/healthz", status: 200, want: []string{"ok\n"}},
		{name: "readyz", method: "GET", path: "/readyz", status: 200, want: []string{"ready\n"}},
		{name: "POST is not allowed", method: "POST", path: "/", status: 405},
		{name: "DELETE a project is not allowed", method: "DELETE", path: alpha, status: 405},
		{name: "unknown page", method: "GET", path: "/admin", status: 404},
		{name: "no directory listing of templates", method: "GET", path: "/web/templates/_layout.html", status: 404},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, srv, tc.method, tc.path)
			if r.status != tc.status {
				t.Fatalf("%s %s = %d, want %d\n%s", tc.method, tc.path, r.status, tc.status, r.body)
			}
			ct := r.header.Get("Content-Type")
			if tc.html != strings.HasPrefix(ct, "text/html; charset=utf-8") {
				t.Errorf("Content-Type = %q (html page: %v)", ct, tc.html)
			}
			for _, s := range tc.want {
				if !strings.Contains(r.body, s) {
					t.Errorf("%s %s: body does not contain %q\n%s", tc.method, tc.path, s, r.body)
				}
			}
			for _, s := range tc.notWant {
				if strings.Contains(r.body, s) {
					t.Errorf("%s %s: body contains %q", tc.method, tc.path, s)
				}
			}
			// Every response, errors included, carries the security headers.
			for h, want := range map[string]string{
				"X-Content-Type-Options": "nosniff",
				"X-Frame-Options":        "DENY",
				"Referrer-Policy":        "same-origin",
			} {
				if got := r.header.Get(h); got != want {
					t.Errorf("%s = %q, want %q", h, got, want)
				}
			}
			csp := r.header.Get("Content-Security-Policy")
			for _, d := range []string{"default-src 'none'", "frame-ancestors 'none'", "base-uri 'none'"} {
				if !strings.Contains(csp, d) {
					t.Errorf("Content-Security-Policy %q lacks %q", csp, d)
				}
			}
			if strings.Contains(csp, "script-src") || strings.Contains(csp, "unsafe-inline") {
				t.Errorf("Content-Security-Policy %q allows scripts or inline styles", csp)
			}
		})
	}
}

func TestEscaping(t *testing.T) { eachStore(t, testEscaping) }

func testEscaping(t *testing.T, open opener) {
	// Text from repositories (names, descriptions, author names) is shown
	// as text, never as markup, on every page that shows it.
	f := newFixture(t, open)
	srv := newServer(t, f.st)
	raw := []string{
		"<script>", "<img src=x", "<b ", "onerror=alert(1)>", "onmouseover=\"",
	}
	tests := []struct {
		path    string
		escaped []string
	}{
		{"/", []string{
			"Settles payments &lt;script&gt;alert(1)&lt;/script&gt; between ledgers",
			"&#34;&gt;&lt;img src=x onerror=alert(1)&gt;",
			"&lt;b onmouseover=&#34;alert(2)&#34;&gt;bold&lt;/b&gt;",
		}},
		{"/projects/" + strconv.FormatInt(f.alphaID, 10), []string{
			"Settles payments &lt;script&gt;alert(1)&lt;/script&gt; between ledgers",
		}},
		{"/projects/" + strconv.FormatInt(f.evilID, 10), []string{
			"<h1>&#34;&gt;&lt;img src=x onerror=alert(1)&gt;</h1>",
			"<title>&#34;&gt;&lt;img src=x onerror=alert(1)&gt; · ospo</title>",
			"Mallory &lt;script&gt;alert(3)&lt;/script&gt;",
			// in who knows the code: key people, authors, directories
			"<strong>Truck factor 1</strong> (Mallory &lt;script&gt;alert(3)&lt;/script&gt;)",
			"<td>&lt;img src=x onerror=alert(8)&gt;/</td>",
		}},
		{"/people/mallory", []string{
			"<h1>Mallory &lt;script&gt;alert(3)&lt;/script&gt;</h1>",
			"<a href=\"/projects/" + strconv.FormatInt(f.evilID, 10) + "\">&#34;&gt;&lt;img src=x onerror=alert(1)&gt;</a>",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			r := do(t, srv, "GET", tc.path)
			if r.status != 200 {
				t.Fatalf("GET %s = %d\n%s", tc.path, r.status, r.body)
			}
			for _, s := range tc.escaped {
				if !strings.Contains(r.body, s) {
					t.Errorf("GET %s: body does not contain the escaped %q\n%s", tc.path, s, r.body)
				}
			}
			for _, s := range raw {
				if strings.Contains(r.body, s) {
					t.Errorf("GET %s: body contains raw %q", tc.path, s)
				}
			}
		})
	}
}

func TestEmptyStore(t *testing.T) { eachStore(t, testEmptyStore) }

func testEmptyStore(t *testing.T, open opener) {
	st := open(t)
	srv := newServer(t, st)
	r := do(t, srv, "GET", "/")
	if r.status != 200 || !strings.Contains(r.body, "No projects yet") || strings.Contains(r.body, "Last scan") {
		t.Errorf("GET / on an empty store = %d\n%s", r.status, r.body)
	}
	for _, path := range []string{"/projects", "/technologies", "/people", "/teams", "/search?q=x", "/api/v1/estate", "/api/v1/projects", "/api/v1/teams"} {
		if r := do(t, srv, "GET", path); r.status != 200 {
			t.Errorf("GET %s on an empty store = %d\n%s", path, r.status, r.body)
		}
	}
}

func TestReadyWhenStoreFails(t *testing.T) { eachStore(t, testReadyWhenStoreFails) }

func testReadyWhenStoreFails(t *testing.T, open opener) {
	st := open(t)
	srv := newServer(t, st)
	if r := do(t, srv, "GET", "/readyz"); r.status != 200 {
		t.Fatalf("readyz on an open store = %d", r.status)
	}
	st.Close()
	tests := []struct {
		path   string
		status int
		want   string
	}{
		{"/readyz", 503, "store unavailable"},
		{"/healthz", 200, "ok"},
		{"/", 500, "internal error"},
		{"/projects/1", 500, "internal error"},
	}
	for _, tc := range tests {
		r := do(t, srv, "GET", tc.path)
		if r.status != tc.status || !strings.Contains(r.body, tc.want) {
			t.Errorf("GET %s with the store closed = %d %q, want %d %q", tc.path, r.status, r.body, tc.status, tc.want)
		}
		if strings.Contains(r.body, "sql") {
			t.Errorf("GET %s shows internal detail: %q", tc.path, r.body)
		}
	}
}

func TestServe(t *testing.T) { eachStore(t, testServe) }

func testServe(t *testing.T, open opener) {
	// Serve listens, reports its address, serves, and stops when ctx ends.
	f := newFixture(t, open)
	h, err := hub.New(f.st, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan string, 1)
	errc := make(chan error, 1)
	go func() {
		errc <- hub.Serve(ctx, "127.0.0.1:0", h, func(a net.Addr) { addrc <- a.String() })
	}()
	var addr string
	select {
	case addr = <-addrc:
	case err := <-errc:
		t.Fatalf("Serve: %v", err)
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not report its address")
	}
	resp, err := http.Get("http://" + addr + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("GET /healthz through Serve = %d, headers %v", resp.StatusCode, resp.Header)
	}
	cancel()
	select {
	case err := <-errc:
		if err != nil {
			t.Errorf("Serve after cancel = %v, want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not stop after cancel")
	}
	if _, err := http.Get("http://" + addr + "/healthz"); err == nil {
		t.Error("the hub still answers after Serve returned")
	}

	// An address that cannot be listened on is an error naming it.
	if err := hub.Serve(context.Background(), "256.0.0.1:1", h, nil); err == nil || !strings.Contains(err.Error(), "256.0.0.1:1") {
		t.Errorf("Serve on a bad address = %v", err)
	}
}

// slowList is a store whose full project listing (what the estate snapshot
// reads) waits until release is closed.
type slowList struct {
	store.Store
	release chan struct{}
}

func (s slowList) ListProjects(ctx context.Context, f store.ProjectFilter) ([]catalog.Project, error) {
	if f.Limit == 0 {
		<-s.release
	}
	return s.Store.ListProjects(ctx, f)
}

func TestWarm(t *testing.T) { eachStore(t, testWarm) }

// testWarm checks that /readyz answers 503 while the snapshot is being
// built at start-up and 200 once it is.
func testWarm(t *testing.T, open opener) {
	f := newFixture(t, open)
	st := slowList{Store: f.st, release: make(chan struct{})}
	h, err := hub.New(st, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	done := make(chan error, 1)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel) // stops the warming that follows changes
	h.StartWarm(ctx, func(_ time.Duration, err error) { done <- err })
	if r := do(t, srv, "GET", "/readyz"); r.status != 503 || !strings.Contains(r.body, "warming up") {
		t.Errorf("readyz while warming = %d %q, want 503 warming up", r.status, r.body)
	}
	close(st.release)
	if err := <-done; err != nil {
		t.Fatalf("warm: %v", err)
	}
	if r := do(t, srv, "GET", "/readyz"); r.status != 200 {
		t.Errorf("readyz once warm = %d %q", r.status, r.body)
	}
	if r := do(t, srv, "GET", "/"); r.status != 200 || !strings.Contains(r.body, "alpha") {
		t.Errorf("overview once warm = %d", r.status)
	}
}
