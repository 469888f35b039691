package e2e

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ospo-project/ospo/internal/auth"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/govern"
	"github.com/ospo-project/ospo/internal/governance"
	"github.com/ospo-project/ospo/internal/hub"
	"github.com/ospo-project/ospo/internal/store"
	"github.com/ospo-project/ospo/internal/store/sqlite"
)

// requestsHub is a hub with sign-in required, one project, Jane (a
// developer) and Olga (the programme office); opening a project needs one
// approval. Open-source requests are evaluated in the background, as
// `ospo serve` does, once release is closed.
func requestsHub(t *testing.T) (srv *httptest.Server, st store.Store, release chan struct{}) {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "ospo.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	day := time.Date(2024, 3, 4, 12, 0, 0, 0, time.UTC)
	if _, err := st.ReplaceProject(ctx, &catalog.Project{Key: "github.com/acme/payments-api", Name: "payments-api", Path: "/src/payments-api",
		HeadCommit: strings.Repeat("a", 40), HeadDate: day, Commits: 5, ScannerVersion: catalog.ScannerVersion, ScannedAt: day}); err != nil {
		t.Fatal(err)
	}
	svc := auth.NewService(st)
	by := auth.Actor{Name: "test", Source: "cli"}
	for email, role := range map[string]catalog.Role{"jane@example.com": catalog.RoleDeveloper, "olga@example.com": catalog.RoleOSPO} {
		if _, err := svc.CreateAccount(ctx, by, email, role, browserPassword); err != nil {
			t.Fatal(err)
		}
	}
	gov := govern.New(govern.Options{Store: st, Policies: governance.Policies{governance.KindOpenSource: {Approvals: 1,
		Attestations: []string{"I read the business case"}}}})
	bg := govern.NewBackground(gov, 1, 8)
	runCtx, stop := context.WithCancel(ctx)
	t.Cleanup(stop)
	go bg.Run(runCtx)
	release = make(chan struct{})
	gov = gov.WithSchedule(func(_ context.Context, id int64) error {
		go func() {
			select {
			case <-release:
				bg.Schedule(runCtx, id)
			case <-runCtx.Done():
			}
		}()
		return nil
	})
	h, err := hub.New(st, slog.New(slog.DiscardHandler), hub.WithAuth(hub.AuthOptions{Service: svc, Required: true}), hub.WithGovernance(gov))
	if err != nil {
		t.Fatal(err)
	}
	srv = httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv, st, release
}

const (
	hostileTitle  = `<img src=x onerror="window.pwned=1">Open payments`
	hostileReason = `<script>window.pwned=2</script> because "quotes" & ampersands`
	hostileNote   = `</textarea><script>window.pwned=3</script>`
)

// TestBrowserRequestApproval: Jane opens an open-source request with
// hostile text in every free-text field; she cannot approve it herself;
// Olga, signed in on her own account, finds it waiting on her, comments,
// ticks the attestation and approves it. The hostile text shows as text
// and never runs.
func TestBrowserRequestApproval(t *testing.T) {
	srv, st, release := requestsHub(t)
	ctx, csp := newBrowser(t)
	screenshotOnFailure(t, ctx)

	do(t, ctx, "open the new request form", chromedp.Navigate(srv.URL+"/requests/new?kind=open-source"))
	signIn(t, ctx, "jane@example.com")
	do(t, ctx, "fill the request",
		chromedp.WaitVisible(`//h1[text()="New open-source request"]`),
		chromedp.SendKeys(chromedp.CSS(`input[name="subject"]`), "payments-api"),
		chromedp.SendKeys(chromedp.CSS(`input[name="title"]`), hostileTitle),
		chromedp.SendKeys(chromedp.CSS(`textarea[name="reason"]`), hostileReason),
		chromedp.SendKeys(chromedp.CSS(`textarea[name="answer.telemetry"]`), "no"),
		chromedp.SendKeys(chromedp.CSS(`textarea[name="answer.business-case"]`), hostileNote),
		chromedp.Click(chromedp.CSS(`form[action="/requests"] button`)),
		chromedp.WaitVisible(`#request-state`))
	if h1 := textOf(t, ctx, `h1`); h1 != "Request #1: "+hostileTitle {
		t.Errorf("title shown as %q", h1)
	}
	if s := textOf(t, ctx, `#request-state`); s != "review" {
		t.Errorf("state %q, want review", s)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("#approve").length`); n != 0 {
		t.Error("the requester is offered to approve her own request")
	}
	// Filed at once: the automatic items are evaluating in the background.
	if n := eval[int](t, ctx, `document.querySelectorAll("#evaluating, td.status-evaluating").length`); n < 2 {
		t.Errorf("the page does not show the evaluation under way (%d elements)", n)
	}
	// Even forged, her approval is refused: a developer reviews nothing (and
	// a reviewer never her own request: four eyes, tested in internal/governance).
	do(t, ctx, "forge an approval by the requester", chromedp.Evaluate[chromedp.Void](`(() => {
		const f = document.querySelector('form[action="/requests/1/actions"]'); f.querySelector('input[name="action"]').value = "approve";
		f.querySelector("textarea").removeAttribute("required"); f.submit(); })()`),
		chromedp.WaitVisible(`//p[@role="alert"][contains(., "not a reviewer")]`))

	close(release)
	waitFor(t, 2*time.Minute, "the background evaluation", func() (bool, string) {
		r, err := st.Request(context.Background(), 1)
		if err != nil {
			return false, err.Error()
		}
		return !r.Evaluating(), fmt.Sprint(r.Checklist)
	})
	do(t, ctx, "reload once evaluated", chromedp.Navigate(srv.URL+"/requests/1"), chromedp.WaitVisible(`#request-state`))
	if n := eval[int](t, ctx, `document.querySelectorAll("#evaluating, td.status-evaluating").length`); n != 0 {
		t.Errorf("still shown evaluating after the evaluation (%d elements)", n)
	}

	do(t, ctx, "sign out", chromedp.Navigate(srv.URL+"/me"), chromedp.Click(chromedp.CSS(`form[action="/signout"] button`)),
		chromedp.WaitVisible(`//h1[text()="Sign in"]`))
	do(t, ctx, "open the requests as olga", chromedp.Navigate(srv.URL+"/requests"))
	signIn(t, ctx, "olga@example.com")
	do(t, ctx, "find the request waiting", chromedp.WaitVisible(`//h1[text()="Requests"]`),
		chromedp.Click(chromedp.CSS(`main tbody a[href="/requests/1"]`)), chromedp.WaitVisible(`#approve`))
	do(t, ctx, "comment", chromedp.SendKeys(chromedp.CSS(`#comment-text`), hostileNote),
		chromedp.Click(chromedp.CSS(`#comment`)), chromedp.WaitVisible(`//span[@class="comment"]`))
	// Approving without ticking the attestation is refused by the browser
	// (required); ticked, it approves.
	do(t, ctx, "approve", chromedp.Click(chromedp.CSS(`#approve-form input[name="attest"]`)), chromedp.Click(chromedp.CSS(`#approve`)),
		chromedp.WaitVisible(`//strong[@id="request-state"][text()="approved"]`))

	page := textOf(t, ctx, `main`)
	for _, s := range []string{hostileReason, hostileNote, "olga@example.com approve", "I read the business case"} {
		if !strings.Contains(page, s) {
			t.Errorf("the page does not show %q as text", s)
		}
	}
	if v := eval[any](t, ctx, `window.pwned === undefined ? null : window.pwned`); v != nil {
		t.Errorf("hostile text ran: window.pwned = %v", v)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("main img, main script").length`); n != 0 {
		t.Errorf("hostile markup became %d elements", n)
	}
	r, err := st.Request(context.Background(), 1)
	if err != nil || r.State != governance.StateApproved || len(r.Approvals) != 1 || r.Approvals[0].By != "olga@example.com" {
		t.Fatalf("stored request: %+v, %v", r, err)
	}
	es, _ := st.ListAudit(context.Background(), store.AuditFilter{Object: "request:1"})
	var acts []string
	for _, e := range es {
		acts = append(acts, e.Actor+" "+e.Action)
	}
	if got := strings.Join(acts, ", "); got != "jane@example.com request.open, ospo request.evaluate, olga@example.com request.comment, olga@example.com request.approve" {
		t.Errorf("audit: %s", got)
	}
	if v := csp.all(); len(v) > 0 {
		t.Errorf("Content-Security-Policy violations:\n%s", strings.Join(v, "\n"))
	}
}
