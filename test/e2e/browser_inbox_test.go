package e2e

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ospo-project/ospo/internal/auth"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/hub"
	"github.com/ospo-project/ospo/internal/store/sqlite"
	"github.com/ospo-project/ospo/internal/vuln"
)

// inboxHub is a hub where Jane owns two projects that use a vulnerable
// lodash and one with a GPL dependency in violation of the policy.
func inboxHub(t *testing.T) *httptest.Server {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "ospo.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	day := time.Date(2026, 11, 2, 12, 0, 0, 0, time.UTC)
	for _, name := range []string{"checkout", "storefront"} {
		p := &catalog.Project{Key: "github.com/acme/" + name, Name: name, Path: "/src/" + name, HeadCommit: strings.Repeat("a", 40),
			HeadDate: day, ScannerVersion: catalog.ScannerVersion, ScannedAt: day,
			Owners: []catalog.Owner{{Owner: "jane@example.com", Source: catalog.OwnerCodeowners, Path: "CODEOWNERS", Pattern: "*"}},
			Dependencies: []catalog.Dependency{{PURL: "pkg:npm/lodash@4.17.20", Ecosystem: "npm", Name: "lodash", Version: "4.17.20",
				Direct: true, Manifest: "package-lock.json"}}}
		if name == "storefront" {
			p.Dependencies = append(p.Dependencies, catalog.Dependency{PURL: "pkg:npm/gpl-widget@1.0.0", Ecosystem: "npm", Name: "gpl-widget",
				Version: "1.0.0", Direct: true, Manifest: "package-lock.json"})
			p.LicenseFindings = []catalog.LicenseFinding{{Severity: catalog.SeverityViolation, Rule: "license/strong-copyleft",
				PURL: "pkg:npm/gpl-widget@1.0.0", Manifest: "package-lock.json", License: "GPL-3.0-only", Category: "strong-copyleft",
				Message: "GPL-3.0-only is strong copyleft", Remediation: "replace gpl-widget"}}
		}
		if _, err := st.ReplaceProject(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	advs, _, err := vuln.Load([]string{"../../internal/vuln/testdata/osv/GHSA-35jh-r3h4-6jhm.json"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.UpsertAdvisories(ctx, advs); err != nil {
		t.Fatal(err)
	}
	svc := auth.NewService(st)
	if _, err := svc.CreateAccount(ctx, auth.Actor{Name: "test", Source: "cli"}, "jane@example.com", catalog.RoleDeveloper, browserPassword); err != nil {
		t.Fatal(err)
	}
	h, err := hub.New(st, slog.New(slog.DiscardHandler), hub.WithAuth(hub.AuthOptions{Service: svc, Required: true}),
		hub.WithSnapshotTTL(0))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// TestBrowserMorning is a developer's morning: Jane signs in, sees her
// inbox (the lodash vulnerability once, for both projects, with its fix;
// the licence violation), follows the vulnerability to the project page,
// comes back and marks it done, snoozes the other; both leave the list and
// the done one can be reopened.
func TestBrowserMorning(t *testing.T) {
	srv := inboxHub(t)
	ctx, csp := newBrowser(t)
	screenshotOnFailure(t, ctx)
	const vulnItem = `li[id="vulnerability:GHSA-35jh-r3h4-6jhm"]`
	const licItem = `li[id="license:license/strong-copyleft:pkg:npm/gpl-widget"]`

	do(t, ctx, "open the hub", chromedp.Navigate(srv.URL+"/"))
	signIn(t, ctx, "jane@example.com")
	do(t, ctx, "open the inbox", chromedp.Click(chromedp.CSS(`nav a[href="/me/inbox"]`)), chromedp.WaitVisible(`//h1[text()="Inbox"]`))
	items := eval[[]string](t, ctx, `[...document.querySelectorAll("#inbox-open > li.inbox-item")].map(li => li.id)`)
	if len(items) != 2 || items[0] != "vulnerability:GHSA-35jh-r3h4-6jhm" {
		t.Fatalf("inbox items = %v, want the vulnerability first, then the licence item", items)
	}
	vulnText := textOf(t, ctx, vulnItem)
	for _, want := range []string{"high", "lodash", "fixed in 4.17.21 (patch upgrade)", "checkout (owner)", "storefront (owner)"} {
		if !strings.Contains(vulnText, want) {
			t.Errorf("vulnerability item lacks %q:\n%s", want, vulnText)
		}
	}

	// Follow the item to where it is acted on.
	do(t, ctx, "follow the vulnerability", chromedp.Click(chromedp.CSS(vulnItem+` a.inbox-link`)),
		chromedp.WaitVisible(`#vulnerabilities`))
	if s := textOf(t, ctx, `#vulnerabilities`); !strings.Contains(s, "GHSA-35jh-r3h4-6jhm") {
		t.Errorf("the project's vulnerabilities do not show the advisory:\n%s", s)
	}
	do(t, ctx, "back to the inbox", chromedp.Navigate(srv.URL+"/me/inbox"), chromedp.WaitVisible(vulnItem))

	// Mark it done; snooze the other.
	do(t, ctx, "mark the vulnerability done", chromedp.Click(chromedp.CSS(vulnItem+` button.inbox-done`)),
		chromedp.WaitVisible(`#inbox-done`))
	if ids := eval[[]string](t, ctx, `[...document.querySelectorAll("#inbox-open > li.inbox-item")].map(li => li.id)`); len(ids) != 1 || !strings.HasPrefix(ids[0], "license:") {
		t.Errorf("open items after done = %v, want the licence item only", ids)
	}
	do(t, ctx, "snooze the licence item", chromedp.Click(chromedp.CSS(licItem+` button.inbox-snooze`)),
		chromedp.WaitVisible(`#inbox-snoozed`), chromedp.WaitVisible(`#inbox-empty`))
	if s := textOf(t, ctx, `#inbox-snoozed`); !strings.Contains(s, "snoozed until") {
		t.Errorf("snoozed section:\n%s", s)
	}
	// "me" agrees; the done item can be reopened.
	do(t, ctx, "me", chromedp.Navigate(srv.URL+"/me"), chromedp.WaitVisible(`#me-inbox`))
	if s := textOf(t, ctx, `#me-inbox`); !strings.Contains(s, "Nothing needs you") {
		t.Errorf("me's inbox section:\n%s", s)
	}
	do(t, ctx, "reopen", chromedp.Navigate(srv.URL+"/me/inbox"), chromedp.Click(chromedp.CSS(`#inbox-done `+vulnItem+` button.inbox-reopen`)),
		chromedp.WaitVisible(`#inbox-open `+vulnItem))
	if v := csp.all(); len(v) > 0 {
		t.Errorf("Content-Security-Policy violations:\n%s", strings.Join(v, "\n"))
	}
}
