package e2e

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/chromedp"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/hub"
	"github.com/ospo-project/ospo/internal/store/sqlite"
)

// chromiumPath is where Debian's chromium package installs the browser.
const chromiumPath = "/usr/bin/chromium"

// browserEstate is a small catalogue: two projects sharing a dependency,
// three people, one team.
func browserEstate(t *testing.T) *httptest.Server {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "ospo.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	day := time.Date(2024, 3, 4, 12, 0, 0, 0, time.UTC)
	contrib := func(name, email string, commits int) catalog.Contribution {
		return catalog.Contribution{Identity: catalog.Identity{Name: name, Email: email}, Commits: commits,
			LinesAdded: int64(20 * commits), FirstCommit: day.AddDate(0, -2, 0), LastCommit: day,
			Weeks: []catalog.WeekActivity{{Week: catalog.WeekOf(day.AddDate(0, -2, 0)), Commits: commits - 1}, {Week: catalog.WeekOf(day), Commits: 1}}}
	}
	cobra := func(v string) catalog.Dependency {
		return catalog.Dependency{PURL: "pkg:golang/github.com/spf13/cobra@" + v, Ecosystem: "Go",
			Name: "github.com/spf13/cobra", Version: v, Direct: true, Manifest: "go.mod"}
	}
	projects := []*catalog.Project{
		{Key: "github.com/acme/payments-api", Name: "payments-api", Path: "/src/payments-api",
			Description: "Settles <b>payments</b> between ledgers", HeadCommit: strings.Repeat("a", 40), HeadDate: day,
			Languages:    []catalog.Language{{Name: "Go", Bytes: 9000, Files: 30}},
			Owners:       []catalog.Owner{{Owner: "@acme/payments", Source: catalog.OwnerCodeowners, Path: "CODEOWNERS", Pattern: "*"}},
			Dependencies: []catalog.Dependency{cobra("v1.8.0")},
			Contributors: []catalog.Contribution{contrib("Jane Doe", "jane@example.com", 12), contrib("Bob Stone", "bob@example.com", 3)},
			Commits:      15, ScannerVersion: catalog.ScannerVersion, ScannedAt: day,
			Kind: catalog.KindInnerSource, RemoteURL: "https://github.com/acme/payments-api.git",
			Readme: &catalog.Readme{Path: "README.md", Format: catalog.ReadmeMarkdown,
				Text: "# Payments API\n\nRead the [contributing guide](CONTRIBUTING.md).\n\n" +
					"<script>window.pwned = 1</script>\n\n<img src=x onerror=\"window.pwned = 2\">\n\n" +
					"![architecture](docs/arch.png)\n\n```go\nfunc main() {}\n```\n"}},
		{Key: "github.com/acme/ledger", Name: "ledger", Path: "/src/ledger", HeadCommit: strings.Repeat("b", 40), HeadDate: day.AddDate(0, -1, 0),
			Languages:    []catalog.Language{{Name: "Go", Bytes: 4000, Files: 10}, {Name: "Python", Bytes: 1000, Files: 3}},
			Dependencies: []catalog.Dependency{cobra("v1.7.0")},
			Contributors: []catalog.Contribution{contrib("Ada Lovelace", "ada@example.com", 8)},
			Commits:      8, ScannerVersion: catalog.ScannerVersion, ScannedAt: day},
	}
	for _, p := range projects {
		if _, err := st.ReplaceProject(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	var people []catalog.Person
	for _, c := range []catalog.Contribution{projects[0].Contributors[0], projects[0].Contributors[1], projects[1].Contributors[0]} {
		id := strings.ToLower(strings.Fields(c.Name)[0])
		people = append(people, catalog.Person{ID: id, Name: c.Name, Email: c.Email, Identities: []catalog.Identity{c.Identity}})
	}
	if err := st.ReplacePeople(ctx, people); err != nil {
		t.Fatal(err)
	}
	h, err := hub.New(st, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// newBrowser starts a headless Debian chromium for the test, or skips the
// test when it is not installed. Without the background-networking flags
// chromium's own connections are refused by a closed network and it stalls.
func newBrowser(t *testing.T) (context.Context, *cspLog) {
	t.Helper()
	return newBrowserFor(t, 90*time.Second)
}

// newBrowserFor is newBrowser for a test that drives the browser for up to d.
func newBrowserFor(t *testing.T, d time.Duration) (context.Context, *cspLog) {
	t.Helper()
	if _, err := exec.LookPath(chromiumPath); err != nil {
		t.Skipf("browser tests need Debian's chromium at %s (apt-get install -y chromium; .ci/run installs it)", chromiumPath)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(1280, 900),
	}
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox)
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, d)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })

	csp := &cspLog{}
	// Listen starts the browser.
	err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*log.EventEntryAdded); ok && strings.Contains(e.Entry.Text, "Content Security Policy") {
			csp.add(e.Entry.Text)
		}
	})
	if err == nil {
		_, err = chromedp.Call(ctx, log.Enable, cdp.Empty{})
	}
	if err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx, csp
}

// cspLog collects the Content-Security-Policy violations the browser reports.
type cspLog struct {
	mu   sync.Mutex
	msgs []string
}

func (c *cspLog) add(s string) { c.mu.Lock(); c.msgs = append(c.msgs, s); c.mu.Unlock() }

func (c *cspLog) all() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.msgs...)
}

// screenshotOnFailure saves the page as a PNG under test-artifacts when the
// test has failed ($OSPO_TEST_ARTIFACTS overrides the folder).
func screenshotOnFailure(t *testing.T, ctx context.Context) {
	t.Cleanup(func() {
		if !t.Failed() {
			return
		}
		dir := os.Getenv("OSPO_TEST_ARTIFACTS")
		if dir == "" {
			dir = filepath.Join("..", "..", "test-artifacts")
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Logf("screenshot: %v", err)
			return
		}
		sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		url, _ := chromedp.Run(sctx, chromedp.Location())
		png, err := chromedp.Run(sctx, chromedp.FullScreenshot(90))
		if err != nil {
			t.Logf("screenshot: %v", err)
			return
		}
		path := filepath.Join(dir, strings.NewReplacer("/", "_", " ", "_").Replace(t.Name())+".png")
		if err := os.WriteFile(path, png, 0o644); err != nil {
			t.Logf("screenshot: %v", err)
			return
		}
		t.Logf("screenshot of %s saved to %s", url, path)
	})
}

// do runs actions in the tab, failing the test on an error.
func do(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// textOf returns the visible text of the first element sel finds (a CSS
// selector or an XPath query).
func textOf(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(sel))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// eval returns the value of a JavaScript expression in the page.
func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

const firstColumnLinks = `[...document.querySelectorAll("main tbody tr td:first-child a")].map(a => a.textContent)`

// TestBrowserJourney is what a person does: open the estate, search for a
// project, open it, follow a dependency to its technology page, from there
// go to a person who knows it, and on to their team.
func TestBrowserJourney(t *testing.T) {
	srv := browserEstate(t)
	ctx, csp := newBrowser(t)
	screenshotOnFailure(t, ctx)

	do(t, ctx, "open the overview", chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS("h1")))
	if h1 := textOf(t, ctx, "h1"); h1 != "Estate" {
		t.Errorf("overview h1 = %q", h1)
	}
	if counts := textOf(t, ctx, "ul.counts"); !strings.Contains(counts, "2\nprojects") && !strings.Contains(counts, "2 projects") {
		t.Errorf("overview counts = %q", counts)
	}
	// The style sheet applies (served from /static, allowed by the CSP),
	// the page runs no script, and the charts are drawn.
	if bg := eval[string](t, ctx, `getComputedStyle(document.querySelector("header")).backgroundColor`); bg != "rgb(36, 41, 47)" {
		t.Errorf("header background = %q: the style sheet did not apply", bg)
	}
	if n := eval[int](t, ctx, `document.scripts.length`); n != 0 {
		t.Errorf("the overview has %d scripts, want none", n)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("svg.chart rect").length`); n == 0 {
		t.Error("the overview draws no chart")
	}

	// Search from the header box, as a person would: type and press Enter.
	do(t, ctx, "search", chromedp.SendKeys(chromedp.CSS(`header input[name="q"]`), "payments\n"),
		chromedp.WaitVisible(`//h1[text()="Search"]`))
	results := textOf(t, ctx, "main")
	if !strings.Contains(results, "Results for payments") || !strings.Contains(results, "payments-api") {
		t.Errorf("search results:\n%s", results)
	}

	// Open the project.
	do(t, ctx, "open the project", chromedp.Click(`//main//a[text()="payments-api"]`),
		chromedp.WaitVisible(`//h1[text()="payments-api"]`))
	if desc := textOf(t, ctx, "main > p"); desc != "Settles <b>payments</b> between ledgers" { // markup from a repository is text
		t.Errorf("project description = %q", desc)
	}
	if deps := textOf(t, ctx, "table.deps"); !strings.Contains(deps, "github.com/spf13/cobra") || !strings.Contains(deps, "v1.8.0") {
		t.Errorf("project dependencies:\n%s", deps)
	}
	// Its README: rendered, sanitised (nothing in it ran or loaded), its
	// relative link pointing at the forge.
	if h := textOf(t, ctx, "div.readme h3"); h != "Payments API" {
		t.Errorf("README heading = %q", h)
	}
	if href := eval[string](t, ctx, `document.querySelector("div.readme a").href`); href != "https://github.com/acme/payments-api/blob/HEAD/CONTRIBUTING.md" {
		t.Errorf("README link = %q", href)
	}
	if pwned := eval[bool](t, ctx, `window.pwned !== undefined || document.querySelectorAll("div.readme img, div.readme script").length > 0`); pwned {
		t.Error("the README's script or image made it into the page")
	}
	if text := textOf(t, ctx, "div.readme"); !strings.Contains(text, "architecture") || !strings.Contains(text, "func main() {}") {
		t.Errorf("README text:\n%s", text)
	}
	// Its score badge, an SVG image from the hub itself, is drawn.
	do(t, ctx, "wait for the badge", chromedp.WaitVisible(chromedp.CSS("p.badge img")))
	if w := eval[int](t, ctx, `(() => { const i = document.querySelector("p.badge img"); return i.complete ? i.naturalWidth : -1 })()`); w <= 0 {
		t.Errorf("badge image width = %d: not loaded", w)
	}

	// Follow the dependency to its technology page: both projects, two versions.
	do(t, ctx, "follow the dependency", chromedp.Click(`//table[@class="deps"]//a[text()="github.com/spf13/cobra"]`),
		chromedp.WaitVisible(`//h1[text()="github.com/spf13/cobra"]`))
	if using := textOf(t, ctx, `//h2[text()="Projects using it"]/..`); !strings.Contains(using, "payments-api") || !strings.Contains(using, "ledger") {
		t.Errorf("projects using cobra:\n%s", using)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("svg.chart rect").length`); n != 2 {
		t.Errorf("version drift chart has %d bars, want 2", n)
	}
	people := textOf(t, ctx, `//h2[text()="People who know it"]/..`)
	for _, name := range []string{"Jane Doe", "Bob Stone", "Ada Lovelace"} {
		if !strings.Contains(people, name) {
			t.Errorf("people who know cobra lack %s:\n%s", name, people)
		}
	}

	// And to a person: what they work on and with.
	do(t, ctx, "open a person", chromedp.Click(`//main//a[text()="Jane Doe"]`), chromedp.WaitVisible(`//h1[text()="Jane Doe"]`))
	if summary := textOf(t, ctx, "main > p.muted"); !strings.Contains(summary, "jane@example.com") || !strings.Contains(summary, "12 commits") {
		t.Errorf("person summary = %q", summary)
	}
	if projects := textOf(t, ctx, `//h2[text()="Projects"]/..`); !strings.Contains(projects, "payments-api") || strings.Contains(projects, "ledger") {
		t.Errorf("Jane's projects:\n%s", projects)
	}
	if techs := textOf(t, ctx, `//h2[text()="Technologies"]/..`); !strings.Contains(techs, "Go") || !strings.Contains(techs, "github.com/spf13/cobra") || strings.Contains(techs, "Python") {
		t.Errorf("Jane's technologies:\n%s", techs)
	}
	if teams := textOf(t, ctx, `//h2[text()="Teams"]/..`); !strings.Contains(teams, "@acme/payments") {
		t.Errorf("Jane's teams:\n%s", teams)
	}

	// The team page lists the project and its people.
	do(t, ctx, "open the team", chromedp.Click(`//main//a[text()="@acme/payments"]`), chromedp.WaitVisible(`//h1[text()="@acme/payments"]`))
	if team := textOf(t, ctx, "main"); !strings.Contains(team, "payments-api") || !strings.Contains(team, "Bob Stone") {
		t.Errorf("team page:\n%s", team)
	}
	if v := csp.all(); len(v) > 0 {
		t.Errorf("Content-Security-Policy violations:\n%s", strings.Join(v, "\n"))
	}
}

// TestBrowserProjectList filters and pages the project list with the form
// and links alone, no script involved.
func TestBrowserProjectList(t *testing.T) {
	srv := browserEstate(t)
	ctx, csp := newBrowser(t)
	screenshotOnFailure(t, ctx)

	do(t, ctx, "filter by language", chromedp.Navigate(srv.URL+"/projects"),
		chromedp.SetValue(chromedp.CSS(`input[name="language"]`), "python"),
		chromedp.Click(chromedp.CSS(`form.filters button`)),
		chromedp.WaitVisible(chromedp.CSS(`input[name="language"][value="python"]`)))
	url, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if rows := eval[[]string](t, ctx, firstColumnLinks); !strings.Contains(url, "language=python") || len(rows) != 1 || rows[0] != "ledger" {
		t.Errorf("filtered by language: %s → %q", url, rows)
	}

	// InnerSource projects only, with the kind select.
	do(t, ctx, "filter by kind", chromedp.Navigate(srv.URL+"/projects"),
		chromedp.SetValue(chromedp.CSS(`select[name="kind"]`), "innersource"),
		chromedp.Click(chromedp.CSS(`form.filters button`)),
		chromedp.WaitReady(chromedp.CSS(`select[name="kind"] option[value="innersource"][selected]`)))
	if rows := eval[[]string](t, ctx, firstColumnLinks); len(rows) != 1 || rows[0] != "payments-api" {
		t.Errorf("InnerSource projects = %q, want [payments-api]", rows)
	}

	// The marketplace's search: words, then a miss.
	const cardNames = `[...document.querySelectorAll("#projects ~ table tbody td:nth-child(2) > a")].map(a => a.textContent)`
	do(t, ctx, "marketplace search", chromedp.Navigate(srv.URL+"/innersource"),
		chromedp.SetValue(chromedp.CSS(`form.filters[action^="/innersource"] input[name="q"]`), "payments"),
		chromedp.Click(chromedp.CSS(`form.filters[action^="/innersource"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`#card-count`)))
	if rows, count := eval[[]string](t, ctx, cardNames), eval[string](t, ctx, `document.querySelector("#card-count").textContent`); len(rows) != 1 || rows[0] != "payments-api" || !strings.HasPrefix(count, "1 of 1 projects match") {
		t.Errorf("marketplace search for payments = %q (%q), want [payments-api], 1 of 1", rows, count)
	}
	do(t, ctx, "marketplace miss", chromedp.SetValue(chromedp.CSS(`form.filters[action^="/innersource"] input[name="q"]`), "no-such-word"),
		chromedp.Click(chromedp.CSS(`form.filters[action^="/innersource"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`#projects ~ table td[colspan="7"]`)))
	if rows := eval[[]string](t, ctx, cardNames); len(rows) != 0 {
		t.Errorf("marketplace search for no-such-word = %q, want none", rows)
	}

	do(t, ctx, "page", chromedp.Navigate(srv.URL+"/projects?sort=updated&limit=1"),
		chromedp.Click(chromedp.CSS(`a[rel="next"]`)),
		chromedp.WaitVisible(chromedp.CSS(`a[rel="prev"]`)))
	if rows := eval[[]string](t, ctx, firstColumnLinks); len(rows) != 1 || rows[0] != "ledger" {
		t.Errorf("second page by last change = %q, want [ledger]", rows)
	}
	if v := csp.all(); len(v) > 0 {
		t.Errorf("Content-Security-Policy violations:\n%s", strings.Join(v, "\n"))
	}
}
