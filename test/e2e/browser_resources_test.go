package e2e

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/hub"
	"github.com/ospo-project/ospo/internal/store/sqlite"
)

// pixelPNG is a valid 1x1 PNG.
const pixelPNG = "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\x00\x01\x00\x00\x05\x00\x01\r\n-\xb4\x00\x00\x00\x00IEND\xaeB`\x82"

// resourcesHub serves a hub with a resources repository (policies, a FAQ,
// hostile Markdown, a symlink out of the repository) and one project whose
// docs/ folder is read at its scanned commit.
func resourcesHub(t *testing.T) *httptest.Server {
	t.Helper()
	ctx := context.Background()
	env := []string{"GIT_AUTHOR_NAME=Olga OSPO", "GIT_AUTHOR_EMAIL=olga@example.com",
		"GIT_AUTHOR_DATE=2025-01-02T03:04:05Z", "GIT_COMMITTER_DATE=2025-01-02T03:04:05Z"}

	res := t.TempDir()
	git(t, res, env, "init", "-q", "-b", "main")
	write(t, filepath.Join(res, "README.md"), "# OSPO resources\n\nEverything about open source here.\n")
	write(t, filepath.Join(res, "policies/contributing.md"), "---\ntitle: Contributing upstream\nowner: ospo-team@example.com\nupdated: 2025-02-03\n---\n\n"+
		"Sign the corporate CLA first.\n\n![How a contribution is approved](flow.png)\n\nQuestions? See the [FAQ](../faq.md).\n\n"+
		"<script>window.pwned = 1</script><img src=x onerror=\"window.pwned = 2\">\n\n[bad](javascript:window.pwned=3)\n")
	write(t, filepath.Join(res, "policies/flow.png"), pixelPNG)
	write(t, filepath.Join(res, "faq.md"), "# FAQ\n\n## Who approves a contribution?\n\nThe OSPO, within two days.\n")
	if err := os.Symlink("/etc/passwd", filepath.Join(res, "passwd.md")); err != nil {
		t.Fatal(err)
	}
	git(t, res, env, "add", "-A")
	git(t, res, env, "commit", "-q", "-m", "resources")

	proj := t.TempDir()
	git(t, proj, env, "init", "-q", "-b", "main")
	write(t, filepath.Join(proj, "docs/index.md"), "# Ledger handbook\n\nRead [how to deploy](ops/deploy.md).\n")
	write(t, filepath.Join(proj, "docs/ops/deploy.md"), "# Deploying the ledger\n\nRun the pipeline.\n")
	git(t, proj, env, "add", "-A")
	git(t, proj, env, "commit", "-q", "-m", "docs")
	head := git(t, proj, env, "rev-parse", "HEAD")

	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "ospo.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.ReplaceProject(ctx, &catalog.Project{Key: "github.com/acme/ledger", Name: "ledger", Path: proj,
		HeadCommit: head, Commits: 1, ScannerVersion: catalog.ScannerVersion}); err != nil {
		t.Fatal(err)
	}
	h, err := hub.New(st, slog.New(slog.DiscardHandler), hub.WithResources(res))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// TestBrowserResources: a developer finds the OSPO's contribution policy
// from the navigation and from the search box, reads it with its owner,
// date and image, follows its link to the FAQ, then reads a project's docs.
func TestBrowserResources(t *testing.T) {
	srv := resourcesHub(t)
	ctx, csp := newBrowser(t)
	screenshotOnFailure(t, ctx)

	do(t, ctx, "open the overview", chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS("h1")))
	do(t, ctx, "open the resources", chromedp.Click(`//header//a[text()="Resources"]`),
		chromedp.WaitVisible(`//h1[text()="Resources"]`))
	list := textOf(t, ctx, "table.docs")
	for _, w := range []string{"Contributing upstream", "ospo-team@example.com", "2025-02-03", "FAQ", "Olga OSPO", "2025-01-02"} {
		if !strings.Contains(list, w) {
			t.Errorf("resources list lacks %q:\n%s", w, list)
		}
	}
	if strings.Contains(list, "passwd") || strings.Contains(list, "root:") {
		t.Errorf("the symlink out of the repository is listed:\n%s", list)
	}

	do(t, ctx, "search", chromedp.SendKeys(chromedp.CSS(`header input[name="q"]`), "corporate CLA\n"),
		chromedp.WaitVisible(`//h1[text()="Search"]`))
	do(t, ctx, "open the policy", chromedp.Click(`//main//a[text()="Contributing upstream"]`),
		chromedp.WaitVisible(`//h1[text()="Contributing upstream"]`))
	if meta := textOf(t, ctx, "p.doc-meta"); !strings.Contains(meta, "ospo-team@example.com") || !strings.Contains(meta, "2025-02-03") {
		t.Errorf("policy owner and date = %q", meta)
	}
	do(t, ctx, "wait for the image", chromedp.WaitVisible(chromedp.CSS("article.doc img")))
	if w := eval[int](t, ctx, `(() => { const i = document.querySelector("article.doc img"); return i.complete ? i.naturalWidth : -1 })()`); w != 1 {
		t.Errorf("policy image width = %d: not loaded from the repository", w)
	}
	if pwned := eval[bool](t, ctx, `window.pwned !== undefined || document.querySelectorAll("article.doc script, article.doc a[href^='javascript']").length > 0`); pwned {
		t.Error("the page's script or javascript: link made it into the page")
	}
	do(t, ctx, "follow the link to the FAQ", chromedp.Click(`//article//a[text()="FAQ"]`),
		chromedp.WaitVisible(`//h1[text()="FAQ"]`))
	if faq := textOf(t, ctx, "article.doc"); !strings.Contains(faq, "within two days") {
		t.Errorf("FAQ:\n%s", faq)
	}

	do(t, ctx, "open the project", chromedp.Navigate(srv.URL+"/projects"), chromedp.Click(`//main//a[text()="ledger"]`),
		chromedp.WaitVisible(`//h1[text()="ledger"]`))
	do(t, ctx, "open its documentation", chromedp.Click(`//main//a[text()="Documentation"]`),
		chromedp.WaitVisible(`//h1[text()="Documentation of ledger"]`))
	do(t, ctx, "follow the docs' link", chromedp.Click(`//div[contains(@class,"doc")]//a[text()="how to deploy"]`),
		chromedp.WaitVisible(`//h1[text()="Deploying the ledger"]`))
	if v := csp.all(); len(v) > 0 {
		t.Errorf("Content-Security-Policy violations:\n%s", strings.Join(v, "\n"))
	}
}
