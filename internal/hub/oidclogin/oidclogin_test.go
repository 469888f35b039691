package oidclogin_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/ospo-project/ospo/internal/auth"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/hub"
	"github.com/ospo-project/ospo/internal/hub/oidclogin"
	"github.com/ospo-project/ospo/internal/hub/oidclogin/oidctest"
	"github.com/ospo-project/ospo/internal/store/sqlite"
)

// logBuffer collects logs written from several goroutines.
type logBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

type env struct {
	hub           *httptest.Server
	opURL, opAddr string
	st            interface {
		Account(context.Context, string) (*catalog.Account, error)
		Memberships(context.Context, string) ([]catalog.Membership, error)
	}
	logs *logBuffer
}

const userPassword = "op-password-for-ann"

// clientSecret is the hub's secret at the provider.
const clientSecret = oidctest.ClientSecret

// handler lets a test server start before its handler exists.
type handler struct{ h http.Handler }

func (d *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { d.h.ServeHTTP(w, r) }

// newEnv starts a real OpenID provider and a hub that signs in through it.
func newEnv(t *testing.T) *env {
	t.Helper()
	hubH := &handler{}
	hubSrv := httptest.NewUnstartedServer(hubH)
	hubURL := "http://" + hubSrv.Listener.Addr().String()
	op := oidctest.Start(t, hubURL+"/auth/oidc/callback",
		oidctest.User{ID: "u-ann", Username: "ann", Password: userPassword, Email: "Ann@Example.com", EmailVerified: true,
			Groups: []string{"ospo-admins", "payments"}},
		oidctest.User{ID: "u-eve", Username: "eve", Password: userPassword, Email: "eve@example.com"})

	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "ospo.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	logs := &logBuffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	svc := auth.NewService(st)
	p, err := oidclogin.New(ctx, oidclogin.Config{Issuer: op.Issuer, ClientID: oidctest.ClientID, ClientSecret: oidctest.ClientSecret,
		RedirectURL: hubURL + "/auth/oidc/callback", RoleGroups: map[catalog.Role][]string{catalog.RoleAdmin: {"ospo-admins"}}}, svc, st, log)
	if err != nil {
		t.Fatal(err)
	}
	h, err := hub.New(st, log, hub.WithAuth(hub.AuthOptions{Service: svc, Required: true, OIDC: p}))
	if err != nil {
		t.Fatal(err)
	}
	hubH.h = h
	hubSrv.Start()
	t.Cleanup(hubSrv.Close)
	u, _ := url.Parse(op.Issuer)
	return &env{hub: hubSrv, opURL: op.Issuer, opAddr: u.Host, st: st, logs: logs}
}

// browser is an HTTP client with cookies that stops at the hub's callback
// when stopAtCallback is set, so a test can tamper with it.
func browser(stopAtCallback bool) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if stopAtCallback && req.URL.Path == "/auth/oidc/callback" {
			return http.ErrUseLastResponse
		}
		if req.URL.Path == "/me" || req.URL.Path == "/signin" {
			return http.ErrUseLastResponse // stop at the hub's answer
		}
		return nil
	}}
}

var idField = regexp.MustCompile(`name="id" value="([^"]+)"`)

// signInAtProvider starts a sign-in at the hub and signs in at the
// provider's login form; it returns the last response.
func signInAtProvider(t *testing.T, e *env, c *http.Client, username string) *http.Response {
	t.Helper()
	resp, err := c.Get(e.hub.URL + "/auth/oidc/login?next=/me")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := idField.FindSubmatch(body)
	if m == nil {
		t.Fatalf("no provider login form at %s: %d %.300s", resp.Request.URL, resp.StatusCode, body)
	}
	resp, err = c.PostForm(e.opURL+"/login/username", url.Values{"id": {string(m[1])}, "username": {username}, "password": {userPassword}})
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func TestOIDCSignIn(t *testing.T) {
	e := newEnv(t)
	c := browser(false)
	resp := signInAtProvider(t, e, c, "ann")
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/me" {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("after the provider: %d → %q %s", resp.StatusCode, resp.Header.Get("Location"), b)
	}
	me, err := c.Get(e.hub.URL + "/me")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(me.Body)
	me.Body.Close()
	if me.StatusCode != http.StatusOK || !strings.Contains(string(body), "ann@example.com") || !strings.Contains(string(body), "payments") {
		t.Fatalf("/me after OIDC sign-in: %d %.500s", me.StatusCode, body)
	}
	acc, err := e.st.Account(context.Background(), "ann@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if acc.Role != catalog.RoleAdmin || acc.Subject != "u-ann" || acc.Issuer != e.opURL {
		t.Errorf("account = %+v, want admin (from the ospo-admins group) linked to u-ann", acc)
	}
	ms, _ := e.st.Memberships(context.Background(), "ann@example.com")
	if len(ms) != 2 || ms[0].Team != "ospo-admins" || ms[1].Team != "payments" || ms[0].Source != catalog.MemberOIDC {
		t.Errorf("memberships = %+v, want the two groups from OIDC", ms)
	}
	// A second sign-in finds the same account by its subject.
	c2 := browser(false)
	resp = signInAtProvider(t, e, c2, "ann")
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("second sign-in: %d", resp.StatusCode)
	}
	// An unverified e-mail is not trusted to create or link an account.
	resp = signInAtProvider(t, e, browser(false), "eve")
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(b), "not verified") {
		t.Errorf("unverified e-mail: %d %s", resp.StatusCode, b)
	}
	for _, secret := range []string{userPassword, clientSecret} {
		if strings.Contains(e.logs.String(), secret) {
			t.Errorf("the hub's log holds a secret")
		}
	}
}

// TestOIDCForgeries stops the browser at the hub's callback and tampers
// with what it brings back.
func TestOIDCForgeries(t *testing.T) {
	e := newEnv(t)
	hubURL, _ := url.Parse(e.hub.URL + "/auth/oidc/")
	flowOf := func(c *http.Client) (map[string]string, *http.Cookie) {
		for _, ck := range c.Jar.Cookies(hubURL) {
			if ck.Name == "ospo_oidc" {
				raw, _ := base64.RawURLEncoding.DecodeString(ck.Value)
				f := map[string]string{}
				json.Unmarshal(raw, &f)
				return f, ck
			}
		}
		t.Fatal("no sign-in cookie")
		return nil, nil
	}
	setFlow := func(c *http.Client, f map[string]string) {
		b, _ := json.Marshal(f)
		c.Jar.SetCookies(hubURL, []*http.Cookie{{Name: "ospo_oidc", Value: base64.RawURLEncoding.EncodeToString(b), Path: "/auth/oidc/"}})
	}
	for _, tc := range []struct {
		name   string
		tamper func(c *http.Client, callback *url.URL)
		status int
		msg    string
	}{
		{"forged state", func(c *http.Client, cb *url.URL) {
			q := cb.Query()
			q.Set("state", "forged")
			cb.RawQuery = q.Encode()
		}, 400, "state does not match"},
		{"forged nonce", func(c *http.Client, cb *url.URL) {
			f, _ := flowOf(c)
			f["n"] = "another-nonce"
			setFlow(c, f)
		}, 400, "nonce does not match"},
		{"wrong PKCE verifier", func(c *http.Client, cb *url.URL) {
			f, _ := flowOf(c)
			f["v"] = strings.Repeat("x", 43)
			setFlow(c, f)
		}, 401, "did not accept the authorization code"},
		{"no sign-in cookie", func(c *http.Client, cb *url.URL) {
			c.Jar.SetCookies(hubURL, []*http.Cookie{{Name: "ospo_oidc", Value: "", Path: "/auth/oidc/", MaxAge: -1}})
		}, 400, "no sign-in in progress"},
		{"damaged cookie", func(c *http.Client, cb *url.URL) {
			c.Jar.SetCookies(hubURL, []*http.Cookie{{Name: "ospo_oidc", Value: "!!!", Path: "/auth/oidc/"}})
		}, 400, "damaged"},
		{"forged code", func(c *http.Client, cb *url.URL) {
			q := cb.Query()
			q.Set("code", "forged-code")
			cb.RawQuery = q.Encode()
		}, 401, "did not accept"},
		{"provider error", func(c *http.Client, cb *url.URL) {
			cb.RawQuery = url.Values{"error": {"access_denied"}, "state": cb.Query()["state"]}.Encode()
		}, 401, "the provider refused: access_denied"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := browser(true)
			resp := signInAtProvider(t, e, c, "ann")
			resp.Body.Close()
			cb, err := url.Parse(resp.Header.Get("Location"))
			if err != nil || cb.Path != "/auth/oidc/callback" {
				t.Fatalf("not redirected to the callback: %d %q", resp.StatusCode, resp.Header.Get("Location"))
			}
			cb = e.hubURL().ResolveReference(cb)
			tc.tamper(c, cb)
			resp, err = c.Get(cb.String())
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.status || !strings.Contains(string(body), tc.msg) {
				t.Errorf("callback: %d %q, want %d with %q", resp.StatusCode, body, tc.status, tc.msg)
			}
			for _, ck := range c.Jar.Cookies(e.hubURL()) {
				if ck.Name == auth.SessionCookie {
					t.Error("a forged callback opened a session")
				}
			}
		})
	}
	if strings.Contains(e.logs.String(), clientSecret) || strings.Contains(e.logs.String(), "code=") {
		t.Error("the log holds a secret or an authorization code")
	}
}

func (e *env) hubURL() *url.URL {
	u, _ := url.Parse(e.hub.URL)
	return u
}
