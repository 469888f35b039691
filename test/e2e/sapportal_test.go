package e2e

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// TestSAPPortalRendersExport loads what `ospo innersource export` writes into
// SAP's InnerSource project portal (github.com/SAP/project-portal-for-innersource),
// served from this machine, and checks in Chromium that the portal renders our
// projects: one card each with title, description and activity score, the
// project count in the header, the details dialog, and the list view, with no
// script error on the page.
//
// The portal is not part of this repository (its code may not be copied in):
// point $OSPO_SAP_PORTAL at a checkout of it (the folder holding its
// index.html, scripts/, styles/, lib/ and images/); the test skips without it.
// The portal reads repos.json next to index.html; the test serves our export
// there instead of the portal's sample.
func TestSAPPortalRendersExport(t *testing.T) {
	portal := os.Getenv("OSPO_SAP_PORTAL")
	if portal == "" {
		t.Skip("set OSPO_SAP_PORTAL to a checkout of github.com/SAP/project-portal-for-innersource to run the portal test")
	}
	for _, f := range []string{"index.html", "scripts/index.js", "lib/handlebars.js", "lib/materialize.min.js"} {
		if _, err := os.Stat(filepath.Join(portal, f)); err != nil {
			t.Fatalf("OSPO_SAP_PORTAL=%s is not a checkout of the portal: %v", portal, err)
		}
	}

	// Two InnerSource projects and one that is not, scanned by the binary.
	root := t.TempDir()
	pay := filepath.Join(root, "payments-api")
	initRepo(t, pay)
	write(t, filepath.Join(pay, "innersource.json"), `{"title": "Payments API", "skills": ["Go"]}`)
	write(t, filepath.Join(pay, "CONTRIBUTING.md"), "# Contributing\n\nSend a merge request.\n")
	write(t, filepath.Join(pay, "main.go"), "package main\n\nfunc main() {}\n")
	write(t, filepath.Join(pay, "README.md"), "# payments-api\n")
	git(t, pay, nil, "remote", "add", "origin", "https://git.example.com/acme/payments-api.git")
	commit(t, pay, "Jane Doe", "jane@example.com", "2026-11-02T10:00:00Z", "start")
	write(t, filepath.Join(pay, "pay.go"), "package main\n\nfunc pay() int { return 1 }\n")
	commit(t, pay, "Bob Stone", "bob@example.com", "2026-11-20T10:00:00Z", "pay")

	ledger := filepath.Join(root, "ledger-tools")
	initRepo(t, ledger)
	write(t, filepath.Join(ledger, "innersource.json"), `{"title": "Ledger tools"}`)
	write(t, filepath.Join(ledger, "ledger.py"), "print('ledger <b>tools</b>')\n")
	git(t, ledger, nil, "remote", "add", "origin", "https://git.example.com/finance/ledger-tools.git")
	commit(t, ledger, "Ada Lovelace", "ada@example.com", "2026-10-05T10:00:00Z", "ledger")

	private := filepath.Join(root, "private-thing")
	initRepo(t, private)
	write(t, filepath.Join(private, "x.go"), "package x\n")
	commit(t, private, "Ada Lovelace", "ada@example.com", "2026-10-05T10:00:00Z", "x")

	env := []string{"OSPO_DB=" + filepath.Join(t.TempDir(), "ospo.db")}
	if r := run(t, env, "scan", root); r.code != 0 {
		t.Fatalf("scan: exit %d\n%s", r.code, r.stderr)
	}
	r := run(t, env, "innersource", "export")
	if r.code != 0 {
		t.Fatalf("innersource export: exit %d\n%s", r.code, r.stderr)
	}
	var repos []struct {
		ID          int    `json:"id"`
		Name        string `json:"name"`
		FullName    string `json:"full_name"`
		Description string `json:"description"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &repos); err != nil {
		t.Fatalf("export is not JSON: %v\n%s", err, r.stdout)
	}
	if len(repos) != 2 {
		t.Fatalf("export has %d repositories, want the 2 InnerSource ones:\n%s", len(repos), r.stdout)
	}

	mux := http.NewServeMux()
	mux.HandleFunc("GET /repos.json", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(r.stdout))
	})
	mux.Handle("GET /", http.FileServer(http.Dir(portal)))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	ctx, _ := newBrowser(t)
	screenshotOnFailure(t, ctx)
	var mu sync.Mutex
	var jsErrors []string
	if err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*runtime.EventExceptionThrown); ok {
			mu.Lock()
			msg := e.ExceptionDetails.Text
			if e.ExceptionDetails.Exception != nil {
				msg += " " + e.ExceptionDetails.Exception.Description
			}
			jsErrors = append(jsErrors, msg)
			mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}

	do(t, ctx, "open the portal", chromedp.Navigate(srv.URL+"/index.html"),
		chromedp.WaitVisible(chromedp.CSS(`#cards .card`)))

	type card struct{ Title, Repo, Description, Score string }
	cards := eval[[]card](t, ctx, `[...document.querySelectorAll("#cards .card")].map(c => ({
		Title: c.querySelector(".card-title").firstChild.textContent.trim(),
		Repo: c.querySelector(".repoLink a").textContent.trim(),
		Description: c.querySelector(".card-description").textContent.trim(),
		Score: (c.querySelector("img.score") || {alt: ""}).alt}))`)
	if len(cards) != 2 {
		t.Fatalf("portal shows %d cards, want 2: %+v", len(cards), cards)
	}
	byTitle := map[string]card{}
	for _, c := range cards {
		byTitle[c.Title] = c
	}
	for _, want := range repos {
		c, ok := byTitle[want.Name]
		if !ok {
			t.Errorf("no card for %s; cards: %+v", want.Name, cards)
			continue
		}
		if c.Repo != want.FullName {
			t.Errorf("%s: repository link %q, want %q", want.Name, c.Repo, want.FullName)
		}
		if want.Description != "" && c.Description != want.Description {
			t.Errorf("%s: description %q, want %q", want.Name, c.Description, want.Description)
		}
		if !strings.HasPrefix(c.Score, "Activity: ") {
			t.Errorf("%s: no activity score image (alt %q): the export's score was not read as a number", want.Name, c.Score)
		}
	}
	if got := textOf(t, ctx, "#count"); got != "2" {
		t.Errorf("header counts %q projects, want 2", got)
	}

	// The details dialog of the first project (the portal opens it from the
	// hash, as a click on a card does).
	do(t, ctx, "open the details", chromedp.Navigate(srv.URL+"/index.html#details="+itoa(repos[0].ID)),
		chromedp.WaitVisible(chromedp.CSS(`#modal-details .participationChart`)))
	if got := textOf(t, ctx, "#modal-details"); !strings.Contains(got, repos[0].Name) {
		t.Errorf("details dialog does not name %s:\n%s", repos[0].Name, got)
	}

	// The list view shows the same projects as rows.
	do(t, ctx, "list view", chromedp.Navigate(srv.URL+"/index.html#display=list"),
		chromedp.WaitVisible(chromedp.CSS(`#rows tr`)))
	if n := eval[int](t, ctx, `document.querySelectorAll("#rows tr").length`); n != 2 {
		t.Errorf("list view has %d rows, want 2", n)
	}

	mu.Lock()
	defer mu.Unlock()
	if len(jsErrors) > 0 {
		t.Errorf("the portal's scripts failed on our export: %q", jsErrors)
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
