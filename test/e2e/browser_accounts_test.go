package e2e

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ospo-project/ospo/internal/auth"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/hub"
	"github.com/ospo-project/ospo/internal/hub/oidclogin"
	"github.com/ospo-project/ospo/internal/hub/oidclogin/oidctest"
	"github.com/ospo-project/ospo/internal/store/sqlite"
)

const browserPassword = "correct horse battery staple"

// accountsHub is a hub with sign-in required: one project, its developer
// Jane (an account linked to her person by e-mail) and Vera, a viewer.
func accountsHub(t *testing.T) *httptest.Server {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "ospo.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	day := time.Date(2024, 3, 4, 12, 0, 0, 0, time.UTC)
	jane := catalog.Identity{Name: "Jane Doe", Email: "jane@example.com"}
	if _, err := st.ReplaceProject(ctx, &catalog.Project{Key: "github.com/acme/payments-api", Name: "payments-api", Path: "/src/payments-api",
		HeadCommit: strings.Repeat("a", 40), HeadDate: day, Commits: 5, ScannerVersion: catalog.ScannerVersion, ScannedAt: day,
		Contributors: []catalog.Contribution{{Identity: jane, Commits: 5, FirstCommit: day, LastCommit: day}}}); err != nil {
		t.Fatal(err)
	}
	if err := st.ReplacePeople(ctx, []catalog.Person{{ID: "jane", Name: "Jane Doe", Email: "jane@example.com", Identities: []catalog.Identity{jane}}}); err != nil {
		t.Fatal(err)
	}
	svc := auth.NewService(st)
	by := auth.Actor{Name: "test", Source: "cli"}
	for email, role := range map[string]catalog.Role{"Jane@Example.com": catalog.RoleDeveloper, "vera@example.com": catalog.RoleViewer} {
		if _, err := svc.CreateAccount(ctx, by, email, role, browserPassword); err != nil {
			t.Fatal(err)
		}
	}
	h, err := hub.New(st, slog.New(slog.DiscardHandler), hub.WithAuth(hub.AuthOptions{Service: svc, Required: true}))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// signIn fills the sign-in form the hub redirected to and submits it.
func signIn(t *testing.T, ctx context.Context, email string) {
	t.Helper()
	do(t, ctx, "sign in as "+email,
		chromedp.WaitVisible(`//h1[text()="Sign in"]`),
		chromedp.SendKeys(chromedp.CSS(`input[name="email"]`), email),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), browserPassword),
		chromedp.Click(chromedp.CSS(`form[action="/signin"] button`)),
		// Wait for the page after sign-in: the sign-in page has the same
		// navigation, and a click on it while the browser navigates
		// away finds a node that is gone.
		chromedp.WaitNotPresent(`form[action="/signin"]`))
}

// TestBrowserSignIn: a person signs in with a local account, sees "me"
// linked to the catalogue person, signs out; a viewer is denied an admin
// page; a form posted without its CSRF token is refused.
func TestBrowserSignIn(t *testing.T) {
	srv := accountsHub(t)
	ctx, csp := newBrowser(t)
	screenshotOnFailure(t, ctx)

	// Any page sends a stranger to sign in, and back afterwards.
	do(t, ctx, "open me", chromedp.Navigate(srv.URL+"/me"))
	signIn(t, ctx, "jane@example.com")
	do(t, ctx, "see me", chromedp.WaitVisible(`//h1[text()="jane@example.com"]`))
	if s := textOf(t, ctx, `//h2[text()="In the catalogue"]/..`); !strings.Contains(s, "Jane Doe") {
		t.Errorf("me is not linked to the person:\n%s", s)
	}
	if href := eval[string](t, ctx, `document.querySelector("main a[href^='/people/']").getAttribute("href")`); href != "/people/jane" {
		t.Errorf("person link = %q", href)
	}
	if cookie := eval[string](t, ctx, `document.cookie`); strings.Contains(cookie, auth.SessionCookie) {
		t.Error("the session cookie is readable by scripts (not HttpOnly)")
	}

	// A form posted without its CSRF token is refused.
	do(t, ctx, "post a form without a CSRF token", chromedp.Evaluate[chromedp.Void](`(() => {
		const f = document.createElement("form"); f.method = "post"; f.action = "/signout-everywhere";
		document.body.appendChild(f); f.submit(); })()`),
		chromedp.WaitVisible(`//body[contains(., "missing or invalid CSRF token")]`))
	do(t, ctx, "still signed in", chromedp.Navigate(srv.URL+"/me"), chromedp.WaitVisible(`//h1[text()="jane@example.com"]`))

	// Sign out.
	do(t, ctx, "sign out", chromedp.Click(chromedp.CSS(`form[action="/signout"] button`)), chromedp.WaitVisible(`//h1[text()="Sign in"]`))
	do(t, ctx, "me after sign-out", chromedp.Navigate(srv.URL+"/me"), chromedp.WaitVisible(`//h1[text()="Sign in"]`))

	// A viewer is denied the admin pages.
	signIn(t, ctx, "vera@example.com")
	do(t, ctx, "see me as vera", chromedp.WaitVisible(`//h1[text()="vera@example.com"]`))
	if links := textOf(t, ctx, `//h2[text()="Access"]/..`); strings.Contains(links, "Users") || strings.Contains(links, "Audit log") {
		t.Errorf("a viewer is offered admin links:\n%s", links)
	}
	do(t, ctx, "open the users page as a viewer", chromedp.Navigate(srv.URL+"/admin/users"),
		chromedp.WaitVisible(`//body[contains(., "forbidden: your role (viewer) may not accounts.manage")]`))
	if v := csp.all(); len(v) > 0 {
		t.Errorf("Content-Security-Policy violations:\n%s", strings.Join(v, "\n"))
	}
}

// TestBrowserOIDCSignIn signs in through a real OpenID provider running in
// the test process: the hub's button, the provider's form, back to "me"
// with the role and the teams the groups claim gave.
func TestBrowserOIDCSignIn(t *testing.T) {
	ctx0 := context.Background()
	st, err := sqlite.Open(ctx0, filepath.Join(t.TempDir(), "ospo.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	hubH := &lateHandler{}
	hubSrv := httptest.NewUnstartedServer(hubH)
	hubURL := "http://" + hubSrv.Listener.Addr().String()
	op := oidctest.Start(t, hubURL+"/auth/oidc/callback", oidctest.User{ID: "u-ann", Username: "ann", Password: browserPassword,
		Email: "ann@example.com", EmailVerified: true, Groups: []string{"ospo-office", "payments"}})
	svc := auth.NewService(st)
	p, err := oidclogin.New(ctx0, oidclogin.Config{Issuer: op.Issuer, ClientID: oidctest.ClientID, ClientSecret: oidctest.ClientSecret,
		RedirectURL: hubURL + "/auth/oidc/callback", Name: "Acme SSO",
		RoleGroups: map[catalog.Role][]string{catalog.RoleOSPO: {"ospo-office"}}}, svc, st, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	h, err := hub.New(st, slog.New(slog.DiscardHandler), hub.WithAuth(hub.AuthOptions{Service: svc, Required: true, OIDC: p}))
	if err != nil {
		t.Fatal(err)
	}
	hubH.h = h
	hubSrv.Start()
	t.Cleanup(hubSrv.Close)

	ctx, _ := newBrowser(t)
	screenshotOnFailure(t, ctx)
	do(t, ctx, "open me", chromedp.Navigate(hubURL+"/me"), chromedp.WaitVisible(`//h1[text()="Sign in"]`))
	do(t, ctx, "choose the provider", chromedp.Click(`//a[text()="Sign in with Acme SSO"]`),
		chromedp.WaitVisible(chromedp.CSS(`input[name="username"]`)))
	do(t, ctx, "sign in at the provider",
		chromedp.SendKeys(chromedp.CSS(`input[name="username"]`), "ann"),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), browserPassword),
		chromedp.Click(chromedp.CSS(`button[type="submit"]`)),
		chromedp.WaitVisible(`//h1[text()="ann@example.com"]`))
	if s := textOf(t, ctx, "main"); !strings.Contains(s, "Role ospo") || !strings.Contains(s, "payments (oidc)") || !strings.Contains(s, "linked to an OIDC identity") {
		t.Errorf("me after OIDC sign-in:\n%s", s)
	}
}

// lateHandler lets a server take its address before its handler exists.
type lateHandler struct{ h http.Handler }

func (l *lateHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) { l.h.ServeHTTP(w, r) }
