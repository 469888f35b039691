package hub_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/auth"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/goldenpath"
	"github.com/ospo-project/ospo/internal/governance"
	"github.com/ospo-project/ospo/internal/hub"
	"github.com/ospo-project/ospo/internal/hub/web"
	"github.com/ospo-project/ospo/internal/pushproxy"
	"github.com/ospo-project/ospo/internal/store"
)

const password = "correct horse battery staple"

// lockedBuffer collects the hub's log, written from several goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// authHub is a hub with sign-in required over a fixture store, with one
// account per role.
type authHub struct {
	st   store.Store
	h    *hub.Server
	srv  *httptest.Server
	svc  *auth.Service
	logs *lockedBuffer

	mu    sync.Mutex
	asked []web.NewRepository // what the form of ospo new asked for
}

// roles are the callers every route is tried with; "" is anonymous.
var roles = []catalog.Role{"", catalog.RoleViewer, catalog.RoleDeveloper, catalog.RoleMaintainer, catalog.RoleOSPO, catalog.RoleAdmin}

func email(r catalog.Role) string { return string(r) + "@example.com" }

func newAuthHub(t *testing.T, open opener, o hub.AuthOptions) *authHub {
	t.Helper()
	f := newFixture(t, open)
	svc := auth.NewService(f.st)
	svc.Argon2 = auth.Argon2Params{MemoryKiB: 1024, Time: 1, Threads: 1}
	for _, r := range roles[1:] {
		// The store takes maintainer as a role, so that its row of the
		// policy table is tried; accounts are normally developers who own
		// the project in question.
		if _, err := f.st.CreateAccount(context.Background(), catalog.Account{Email: email(r), Role: r}, nil); err != nil {
			t.Fatal(err)
		}
		if err := svc.SetPassword(context.Background(), auth.Actor{Name: "test", Source: "cli"}, email(r), password); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := svc.CreateAccount(context.Background(), auth.Actor{Name: "test", Source: "cli"}, "target@example.com", catalog.RoleViewer, ""); err != nil {
		t.Fatal(err)
	}
	o.Service = svc
	logs := &lockedBuffer{}
	pp, err := pushproxy.New(pushproxy.Config{MirrorDir: t.TempDir(), Attestations: []string{"no client data"}}, f.st, nil)
	if err != nil {
		t.Fatal(err)
	}
	templates, err := goldenpath.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	// The form of ospo new, with the pipeline replaced by recording the
	// project (cli.serve wires the real one: render, commit, scan).
	// A forge named gh is offered; it refuses the name "taken" as GitHub
	// does (conflict), and the request the form made is kept in asked.
	a := &authHub{}
	golden := web.GoldenPaths{Templates: templates, Forges: []string{"gh"}, Create: func(ctx context.Context, r web.NewRepository) (int64, error) {
		a.mu.Lock()
		a.asked = append(a.asked, r)
		a.mu.Unlock()
		if r.Forge != "" && r.Name == "taken" {
			return 0, catalog.Kind("create acme/taken on GitHub: a repository named taken exists already", catalog.ErrConflict)
		}
		return f.st.ReplaceProject(ctx, &catalog.Project{Key: "path:/new/" + r.Name, Name: r.Name, Path: "/new/" + r.Name,
			Description: r.Values["description"], ScannerVersion: catalog.ScannerVersion})
	}}
	h, err := hub.New(f.st, slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})), hub.WithAuth(o), hub.WithPushProxy(pp),
		hub.WithGoldenPaths(golden))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	a.st, a.h, a.srv, a.svc, a.logs = f.st, h, srv, svc, logs
	return a
}

// session signs the role's account in directly and returns the session id.
func (a *authHub) session(t *testing.T, r catalog.Role) string {
	t.Helper()
	acc, err := a.st.Account(context.Background(), email(r))
	if err != nil {
		t.Fatal(err)
	}
	ns, err := a.svc.StartSession(context.Background(), auth.Actor{Name: acc.Email, Source: "hub"}, acc, "test")
	if err != nil {
		t.Fatal(err)
	}
	return ns.ID
}

// call makes one request without following redirects. session, if set, is
// sent as the cookie; form, if not nil, as the body, with the session's
// CSRF token unless noCSRF.
type call struct {
	method, path string
	session      string
	bearer       string
	form         url.Values
	noCSRF       bool
	header       map[string]string
	// json, when set, is the body, sent as application/json.
	json string
}

func (a *authHub) do(t *testing.T, c call) response {
	t.Helper()
	var body io.Reader
	if c.form != nil {
		f := url.Values{}
		for k, v := range c.form {
			f[k] = v
		}
		if c.session != "" && !c.noCSRF {
			f.Set(auth.CSRFField, auth.CSRFToken(c.session))
		}
		body = strings.NewReader(f.Encode())
	}
	if c.json != "" {
		body = strings.NewReader(c.json)
	}
	req, err := http.NewRequest(c.method, a.srv.URL+c.path, body)
	if err != nil {
		t.Fatal(err)
	}
	if c.json != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if c.session != "" {
		req.AddCookie(&http.Cookie{Name: auth.SessionCookie, Value: c.session})
	}
	if c.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+c.bearer)
	}
	for k, v := range c.header {
		req.Header.Set(k, v)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", c.method, c.path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{resp.StatusCode, resp.Header, string(b)}
}

// examplePath turns a route pattern into a path that matches it.
func examplePath(pattern string) (method, path string) {
	method, path, ok := strings.Cut(pattern, " ")
	if !ok {
		method, path = http.MethodGet, pattern
	}
	r := strings.NewReplacer("{$}", "", "{id}", "1", "{owner}", "payments", "{email}", "target@example.com", "{format}", "cyclonedx")
	path = r.Replace(path)
	if strings.HasSuffix(path, "/") && path != "/" {
		path += "style.css"
		if strings.HasPrefix(path, "/api/") {
			path = "/api/v1/nothing-here"
		}
	}
	return method, path
}

// TestRoutePermissions tries every route of the hub with every role and
// checks the answer against the one policy table: allowed, the handler
// runs (whatever it answers); refused, a 401/403 or a redirect to sign in.
func TestRoutePermissions(t *testing.T) { eachStore(t, testRoutePermissions) }

func testRoutePermissions(t *testing.T, open opener) {
	a := newAuthHub(t, open, hub.AuthOptions{Required: true})
	routes := a.h.Routes()
	if len(routes) < 40 {
		t.Fatalf("only %d routes registered", len(routes))
	}
	for _, pattern := range routes {
		action, public, known := hub.RouteAction(pattern)
		if !known {
			t.Errorf("%s changes state but has no action in the policy", pattern)
			continue
		}
		method, path := examplePath(pattern)
		for _, role := range roles {
			name := string(role)
			if role == "" {
				name = "anonymous"
			}
			t.Run(pattern+"/"+name, func(t *testing.T) {
				c := call{method: method, path: path}
				if role != "" {
					c.session = a.session(t, role)
				}
				if method == http.MethodPost {
					c.form = url.Values{}
					if role == "" { // a browser's double-submit CSRF token
						pre, _ := auth.NewSessionID()
						c.header = map[string]string{"Cookie": auth.PreCSRFCookie + "=" + pre}
						c.form.Set(auth.CSRFField, pre)
					}
				}
				resp := a.do(t, c)
				allowed := public || role != "" && auth.Allowed(role, action)
				refused := resp.status == http.StatusUnauthorized || resp.status == http.StatusForbidden ||
					resp.status == http.StatusSeeOther && strings.HasPrefix(resp.header.Get("Location"), "/signin")
				if pattern == "POST /signout" || pattern == "POST /signout-everywhere" {
					refused = resp.status == http.StatusUnauthorized || resp.status == http.StatusForbidden
				}
				if public {
					// Public routes answer for themselves (a sign-in with
					// no password is a 401); the check must not refuse them.
					// The inbox feed checks its own token (TestInboxFeed): a
					// session is not one, so it answers 401 to everyone here.
					if pattern == hub.InboxFeedRoute {
						if resp.status != http.StatusUnauthorized {
							t.Errorf("%s as %s without its token: %d, want 401", path, name, resp.status)
						}
						return
					}
					if resp.status == http.StatusForbidden || method == http.MethodGet && refused {
						t.Errorf("%s %s as %s: %d, a public route refused", method, path, name, resp.status)
					}
					return
				}
				if allowed && refused {
					t.Errorf("%s %s as %s: %d, want it allowed (%s)", method, path, name, resp.status, action)
				}
				if !allowed && !refused {
					t.Errorf("%s %s as %s: %d %.100s, want it refused (%s)", method, path, name, resp.status, resp.body, action)
				}
			})
		}
	}
}

// form is a valid request to one state-changing route.
type change struct {
	path string
	form url.Values
	// json, when set, is an API call's body, sent with the admin's bearer
	// token (the entry's source is then "api").
	json string
	// setup returns the path to use, after preparing the object.
	setup func(t *testing.T, a *authHub) string
	// then is the number of entries that follow the change's own, made by
	// the system in consequence (the push proxy's forward of an approval).
	then int
}

// TestChangesAudited enumerates every route that changes state and checks
// that a successful request to it appends exactly one audit entry, by the
// signed-in account, from the hub.
func TestChangesAudited(t *testing.T) { eachStore(t, testChangesAudited) }

func testChangesAudited(t *testing.T, open opener) {
	a := newAuthHub(t, open, hub.AuthOptions{Required: true})
	// An inbox item for the admin: a licence violation in a project they own.
	if _, err := a.st.ReplaceProject(context.Background(), &catalog.Project{Key: "owned", Name: "owned", Path: "/src/owned",
		ScannerVersion: catalog.ScannerVersion,
		Owners:         []catalog.Owner{{Owner: email(catalog.RoleAdmin), Source: catalog.OwnerCodeowners, Path: "CODEOWNERS", Pattern: "*"}},
		Dependencies:   []catalog.Dependency{{PURL: "pkg:npm/gpl@1.0.0", Ecosystem: "npm", Name: "gpl", Version: "1.0.0", Direct: true, Manifest: "package-lock.json"}},
		LicenseFindings: []catalog.LicenseFinding{{Severity: catalog.SeverityViolation, Rule: "license/strong-copyleft",
			PURL: "pkg:npm/gpl@1.0.0", Manifest: "package-lock.json", License: "GPL-3.0-only", Message: "strong copyleft"}},
	}); err != nil {
		t.Fatal(err)
	}
	const gplItem = "license:license/strong-copyleft:pkg:npm/gpl"
	tokenOf := func(who string) func(t *testing.T, a *authHub) string {
		return func(t *testing.T, a *authHub) string {
			_, k, err := a.svc.CreateToken(context.Background(), auth.Actor{Name: "test", Source: "cli"}, who, "", "", 0)
			if err != nil {
				t.Fatal(err)
			}
			return strings.Replace(strings.Replace("/X/tokens/ID/revoke", "ID", itoa(k.ID), 1), "/X", map[bool]string{true: "/me", false: "/admin"}[who == email(catalog.RoleAdmin)], 1)
		}
	}
	// claimBy records a claim by who (never the admin who decides it) and
	// returns the path that decides it.
	claimBy := func(who, decision string) func(t *testing.T, a *authHub) string {
		return func(t *testing.T, a *authHub) string {
			c, err := a.st.AddClaim(context.Background(), catalog.EventClaim{Kind: "talk", Email: who, Evidence: "https://conf.example/t/2", ClaimedBy: who}, nil)
			if err != nil {
				t.Fatal(err)
			}
			return "/claims/" + itoa(c.ID) + "/" + decision
		}
	}
	// helpPost records a help post for the project owned and returns the
	// path (with ID) that acts on it.
	helpPost := func(path string) func(t *testing.T, a *authHub) string {
		return func(t *testing.T, a *authHub) string {
			h, err := a.st.SaveHelpPost(context.Background(), catalog.HelpPost{ProjectKey: "owned", Title: "help", Size: "small",
				EndsAt: time.Date(2999, 1, 1, 0, 0, 0, 0, time.UTC), Author: email(catalog.RoleDeveloper)}, nil)
			if err != nil {
				t.Fatal(err)
			}
			return strings.Replace(path, "ID", itoa(h.ID), 1)
		}
	}
	changes := map[string]change{
		"POST /signin":                       {path: "/signin", form: url.Values{"email": {email(catalog.RoleAdmin)}, "password": {password}}},
		"POST /signout":                      {path: "/signout", form: url.Values{}},
		"POST /signout-everywhere":           {path: "/signout-everywhere", form: url.Values{}},
		"POST /me/tokens":                    {path: "/me/tokens", form: url.Values{"name": {"ci"}, "scope": {"read"}, "expires": {"30d"}}},
		"POST /me/tokens/{id}/revoke":        {form: url.Values{}, setup: tokenOf(email(catalog.RoleAdmin))},
		"POST /admin/users":                  {path: "/admin/users", form: url.Values{"email": {"new@example.com"}, "role": {"viewer"}, "password": {password}}},
		"POST /admin/users/{email}/role":     {path: "/admin/users/target@example.com/role", form: url.Values{"role": {"ospo"}}},
		"POST /admin/users/{email}/disabled": {path: "/admin/users/target@example.com/disabled", form: url.Values{"disabled": {"true"}}},
		"POST /admin/tokens/{id}/revoke":     {form: url.Values{}, setup: tokenOf(email(catalog.RoleViewer))},
		"POST /pushes/{id}/approve":          {form: url.Values{"attestation": {"no client data"}}, setup: heldPush("/approve"), then: 1},
		"POST /pushes/{id}/reject":           {form: url.Values{"reason": {"client name in a fixture"}}, setup: heldPush("/reject")},
		"POST /api/v1/pushes/{id}/approve":   {json: `{"attestations": ["no client data"]}`, setup: heldPushAt("/api/v1/pushes/", "/approve"), then: 1},
		"POST /api/v1/pushes/{id}/reject":    {json: `{"reason": "client name in a fixture"}`, setup: heldPushAt("/api/v1/pushes/", "/reject")},
		"POST /me/opt-out":                   {form: url.Values{"experts": {"1"}}, setup: adminPerson("/me/opt-out")},
		"POST /api/v1/me/opt-out":            {json: `{"recommendations": true}`, setup: adminPerson("/api/v1/me/opt-out")},
		"POST /requests":                     {path: "/requests", form: url.Values{"kind": {"contribute"}, "subject": {"https://github.com/acme/lib"}}},
		"POST /requests/{id}/actions":        {form: url.Values{"action": {"reject"}, "text": {"not now"}}, setup: requestBy(email(catalog.RoleDeveloper), "/requests/ID/actions")},
		"POST /external":                     {path: "/external", form: url.Values{"name": {"ext-new"}, "relation": {"public"}, "lifecycle": {"active"}}},
		"POST /external/{name}":              {form: url.Values{"lifecycle": {"deprecated"}}, setup: externalProject("/external/NAME")},
		"POST /external/{name}/attest":       {form: url.Values{}, setup: externalProject("/external/NAME/attest")},
		"POST /api/v1/requests":              {path: "/api/v1/requests", json: `{"kind": "contribute", "subject": "https://github.com/acme/api"}`},
		"POST /api/v1/requests/{id}/actions": {json: `{"action": "comment", "text": "<b>looks fine</b>"}`, setup: requestBy(email(catalog.RoleDeveloper), "/api/v1/requests/ID/actions")},
		"POST /claims":                       {path: "/claims", form: url.Values{"kind": {"talk"}, "evidence": {"https://conf.example/t/1"}}},
		"POST /claims/{id}/approve":          {form: url.Values{}, setup: claimBy(email(catalog.RoleViewer), "approve")},
		"POST /claims/{id}/reject":           {form: url.Values{}, setup: claimBy(email(catalog.RoleViewer), "reject")},
		"POST /me/leaderboard":               {path: "/me/leaderboard", form: url.Values{"consent": {"on"}}},
		"POST /me/inbox":                     {path: "/me/inbox", form: url.Values{"item": {gplItem}, "state": {"snoozed"}, "for": {"7d"}}},
		"POST /api/v1/inbox/decisions":       {path: "/api/v1/inbox/decisions", form: url.Values{"item": {gplItem}, "state": {"done"}}},
		"POST /innersource/help": {path: "/innersource/help", form: url.Values{"project": {"owned"}, "title": {"Port to <b>cobra</b>"},
			"skills": {"Go, cobra"}, "size": {"small"}, "ends": {"2999-01-31"}}},
		"POST /innersource/help/{id}/close": {form: url.Values{}, setup: helpPost("/innersource/help/ID/close")},
		"POST /api/v1/help-wanted": {path: "/api/v1/help-wanted",
			json: `{"project": "owned", "title": "Review the schema", "skills": ["SQL"], "size": "medium", "ends": "2999-02-01"}`},
		"POST /api/v1/help-wanted/{id}/close": {json: `{}`, setup: helpPost("/api/v1/help-wanted/ID/close")},
		"POST /new":                           {path: "/new", form: url.Values{"template": {"library"}, "name": {"strutil"}, "param_module": {"example.com/strutil"}}},
	}
	var changing []string
	for _, p := range a.h.Routes() {
		if m, _, ok := strings.Cut(p, " "); ok && m != http.MethodGet && m != http.MethodHead {
			changing = append(changing, p)
		}
	}
	for _, p := range changing {
		if _, ok := changes[p]; !ok {
			t.Errorf("route %s changes state and is not tested for its audit entry", p)
		}
	}
	for _, pattern := range changing {
		c, ok := changes[pattern]
		if !ok {
			continue
		}
		t.Run(pattern, func(t *testing.T) {
			ctx := context.Background()
			path := c.path
			if c.setup != nil {
				path = c.setup(t, a)
			}
			before, err := a.st.ListAudit(ctx, store.AuditFilter{})
			if err != nil {
				t.Fatal(err)
			}
			req := call{method: http.MethodPost, path: path, form: c.form, json: c.json}
			source := "hub"
			if c.json != "" {
				// An API client: the admin's token, made before counting.
				secret, _, err := a.svc.CreateToken(ctx, auth.Actor{Name: "test", Source: "cli"}, email(catalog.RoleAdmin), "", catalog.ScopeWrite, 0)
				if err != nil {
					t.Fatal(err)
				}
				req.bearer, source = secret, "api"
				before, err = a.st.ListAudit(ctx, store.AuditFilter{})
				if err != nil {
					t.Fatal(err)
				}
			} else if pattern == "POST /signin" {
				// A browser that is not signed in: the CSRF token is the
				// double-submit cookie the sign-in page set.
				page := a.do(t, call{method: http.MethodGet, path: "/signin"})
				pre := cookie(page.header, auth.PreCSRFCookie)
				if pre == "" {
					t.Fatal("the sign-in page sets no CSRF cookie")
				}
				req.header = map[string]string{"Cookie": auth.PreCSRFCookie + "=" + pre}
				req.form = url.Values{"email": c.form["email"], "password": c.form["password"], auth.CSRFField: {pre}}
			} else {
				req.session = a.session(t, catalog.RoleAdmin)
			}
			resp := a.do(t, req)
			if resp.status >= 400 {
				t.Fatalf("%s: %d %s", path, resp.status, resp.body)
			}
			after, err := a.st.ListAudit(ctx, store.AuditFilter{})
			if err != nil {
				t.Fatal(err)
			}
			// Starting the test's own session appends one entry first.
			own := 0
			if req.session != "" {
				own = 1
			}

			if got := len(after) - len(before) - own; got != 1+c.then {
				t.Fatalf("%d audit entries appended, want %d", got, 1+c.then)
			}
			e := after[len(after)-1-c.then]
			if strings.HasPrefix(path, "/api/") {
				source = "api" // a session's request to the API is the API's too
			}
			if e.Actor != email(catalog.RoleAdmin) || e.Source != source || e.Address != "127.0.0.1" {
				t.Errorf("entry by %q from %q at %q, want the admin from the %s at 127.0.0.1", e.Actor, e.Source, e.Address, source)
			}
		})
	}
}

// adminPerson makes the admin account a person of the catalogue (the
// opt-out routes need one) and returns path.
func adminPerson(path string) func(t *testing.T, a *authHub) string {
	return func(t *testing.T, a *authHub) string {
		t.Helper()
		ctx := context.Background()
		admin := catalog.Identity{Name: "Admin", Email: email(catalog.RoleAdmin)}
		if _, err := a.st.ReplaceProject(ctx, &catalog.Project{Key: "path:/opt-out", Name: "opt-out", Path: "/opt-out",
			Contributors: []catalog.Contribution{{Identity: admin, Commits: 1}}}); err != nil {
			t.Fatal(err)
		}
		if err := a.st.ReplacePeople(ctx, []catalog.Person{{ID: "admin", Name: "Admin", Email: admin.Email, Identities: []catalog.Identity{admin}}}); err != nil {
			t.Fatal(err)
		}
		return path
	}
}

// heldPush stores a push held for review, pushed by a developer to an
// upstream the test's proxy no longer allows (so an approval is recorded,
// then the proxy's failed forward), and returns its path followed by
// suffix.
func heldPush(suffix string) func(t *testing.T, a *authHub) string {
	return heldPushAt("/pushes/", suffix)
}

// heldPushAt is heldPush under another path (the API's).
func heldPushAt(prefix, suffix string) func(t *testing.T, a *authHub) string {
	return func(t *testing.T, a *authHub) string {
		t.Helper()
		p, err := a.st.CreatePush(context.Background(), catalog.Push{Upstream: "https://git.example/org/x.git",
			Pusher: email(catalog.RoleDeveloper), Status: catalog.PushHeld,
			Refs: []catalog.PushRef{{Ref: "refs/heads/main", Old: "a", New: "b"}}}, []byte{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return prefix + itoa(p.ID) + suffix
	}
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }

// requestBy returns a setup that files a contribution request by requester
// and returns path with ID replaced by its id.
func requestBy(requester, path string) func(t *testing.T, a *authHub) string {
	return func(t *testing.T, a *authHub) string {
		r, err := governance.New(governance.Draft{Kind: governance.KindContribute, Subject: "https://github.com/acme/x", Requester: requester},
			governance.Policies{}.For(governance.KindContribute), time.Now())
		if err != nil {
			t.Fatal(err)
		}
		got, err := a.st.CreateRequest(context.Background(), *r, nil)
		if err != nil {
			t.Fatal(err)
		}
		return strings.Replace(path, "ID", itoa(got.ID), 1)
	}
}

// externalProject returns a setup that adds an estate project owned by the
// admin and returns path with NAME replaced by its name.
func externalProject(path string) func(t *testing.T, a *authHub) string {
	return func(t *testing.T, a *authHub) string {
		name := "ext-" + strings.NewReplacer("/", "-").Replace(strings.Trim(path, "/"))
		_, err := a.st.SaveExternalProject(context.Background(), governance.ExternalProject{Name: name, Relation: governance.RelationPublic,
			Lifecycle: governance.LifecycleActive, Owners: []string{email(catalog.RoleAdmin)}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return strings.Replace(path, "NAME", name, 1)
	}
}

// cookie returns the value of the named cookie set by a response.
func cookie(h http.Header, name string) string {
	for _, c := range (&http.Response{Header: h}).Cookies() {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

func TestSignIn(t *testing.T) {
	a := newAuthHub(t, openSQLite, hub.AuthOptions{Required: true, SecureCookies: true})
	page := a.do(t, call{method: http.MethodGet, path: "/signin?next=/projects"})
	pre := cookie(page.header, auth.PreCSRFCookie)
	if page.status != http.StatusOK || pre == "" || !strings.Contains(page.body, `value="`+pre+`"`) {
		t.Fatalf("sign-in page: %d, CSRF cookie %q", page.status, pre)
	}
	signin := func(pw, csrf string, extra map[string]string) response {
		h := map[string]string{"Cookie": auth.PreCSRFCookie + "=" + pre}
		for k, v := range extra {
			h[k] = v
		}
		return a.do(t, call{method: http.MethodPost, path: "/signin", header: h,
			form: url.Values{"email": {email(catalog.RoleDeveloper)}, "password": {pw}, "next": {"/projects"}, auth.CSRFField: {csrf}}})
	}
	if r := signin(password, "", nil); r.status != http.StatusForbidden || !strings.Contains(r.body, "CSRF") {
		t.Errorf("sign-in without the CSRF token: %d %s", r.status, r.body)
	}
	if r := signin(password, pre, map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}); r.status != http.StatusForbidden {
		t.Errorf("cross-site sign-in: %d", r.status)
	}
	if r := signin("wrong password!!", pre, nil); r.status != http.StatusUnauthorized || !strings.Contains(r.body, "wrong e-mail or password") {
		t.Errorf("wrong password: %d", r.status)
	}
	r := signin(password, pre, nil)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/projects" {
		t.Fatalf("sign-in: %d → %s %s", r.status, r.header.Get("Location"), r.body)
	}
	var sc *http.Cookie
	for _, c := range (&http.Response{Header: r.header}).Cookies() {
		if c.Name == auth.SessionCookie {
			sc = c
		}
	}
	if sc == nil || !sc.HttpOnly || !sc.Secure || sc.SameSite != http.SameSiteLaxMode || sc.MaxAge <= 0 {
		t.Fatalf("session cookie = %+v, want HttpOnly, Secure, SameSite=Lax, with an expiry", sc)
	}
	me := a.do(t, call{method: http.MethodGet, path: "/me", session: sc.Value})
	if me.status != http.StatusOK || !strings.Contains(me.body, email(catalog.RoleDeveloper)) {
		t.Fatalf("/me: %d", me.status)
	}
	// Signing in again from the same browser rotates the session id.
	r2 := a.do(t, call{method: http.MethodPost, path: "/signin", header: map[string]string{"Cookie": auth.PreCSRFCookie + "=" + pre + "; " + auth.SessionCookie + "=" + sc.Value},
		form: url.Values{"email": {email(catalog.RoleDeveloper)}, "password": {password}, auth.CSRFField: {auth.CSRFToken(sc.Value)}}})
	rotated := cookie(r2.header, auth.SessionCookie)
	if r2.status != http.StatusSeeOther || rotated == "" || rotated == sc.Value {
		t.Fatalf("second sign-in: %d, session %q", r2.status, rotated)
	}
	if old := a.do(t, call{method: http.MethodGet, path: "/me", session: sc.Value}); old.status != http.StatusSeeOther {
		t.Errorf("the session before the new sign-in still works: %d", old.status)
	}
	// A form post without the CSRF token, or with another session's, is refused.
	other := a.session(t, catalog.RoleViewer)
	for _, c := range []call{
		{method: http.MethodPost, path: "/signout", session: rotated, form: url.Values{}, noCSRF: true},
		{method: http.MethodPost, path: "/signout", session: rotated, form: url.Values{auth.CSRFField: {auth.CSRFToken(other)}}, noCSRF: true},
	} {
		if r := a.do(t, c); r.status != http.StatusForbidden {
			t.Errorf("sign-out without a valid CSRF token: %d", r.status)
		}
	}
	if r := a.do(t, call{method: http.MethodPost, path: "/signout", session: rotated, form: url.Values{}}); r.status != http.StatusSeeOther {
		t.Fatalf("sign-out: %d %s", r.status, r.body)
	}
	if r := a.do(t, call{method: http.MethodGet, path: "/me", session: rotated}); r.status != http.StatusSeeOther {
		t.Errorf("/me after sign-out: %d", r.status)
	}
	// A viewer is denied the admin pages.
	if r := a.do(t, call{method: http.MethodGet, path: "/admin/users", session: other}); r.status != http.StatusForbidden {
		t.Errorf("viewer on /admin/users: %d", r.status)
	}
	// Redirects after sign-in stay on this site.
	for _, next := range []string{"https://evil.example/", "//evil.example/", "/\\evil.example"} {
		r := a.do(t, call{method: http.MethodPost, path: "/signin", header: map[string]string{"Cookie": auth.PreCSRFCookie + "=" + pre},
			form: url.Values{"email": {email(catalog.RoleViewer)}, "password": {password}, "next": {next}, auth.CSRFField: {pre}}})
		if loc := r.header.Get("Location"); loc != "/me" {
			t.Errorf("next=%s redirects to %q", next, loc)
		}
	}
}

func TestBearerTokens(t *testing.T) { eachStore(t, testBearerTokens) }

func testBearerTokens(t *testing.T, open opener) {
	a := newAuthHub(t, open, hub.AuthOptions{Required: true})
	ctx := context.Background()
	by := auth.Actor{Name: "test", Source: "cli"}
	read, _, err := a.svc.CreateToken(ctx, by, email(catalog.RoleViewer), "", catalog.ScopeRead, 0)
	if err != nil {
		t.Fatal(err)
	}
	ospo, _, _ := a.svc.CreateToken(ctx, by, email(catalog.RoleOSPO), "", catalog.ScopeRead, 0)
	revoked, rk, _ := a.svc.CreateToken(ctx, by, email(catalog.RoleAdmin), "", catalog.ScopeAdmin, 0)
	a.svc.RevokeToken(ctx, by, rk.ID)
	expired, _, _ := a.svc.CreateToken(ctx, by, email(catalog.RoleAdmin), "", catalog.ScopeAdmin, time.Nanosecond)
	for _, tc := range []struct {
		name, path, header string
		status             int
		body               string
	}{
		{"no token", "/api/v1/projects", "", 401, "sign-in required"},
		{"read token", "/api/v1/projects", "Bearer " + read, 200, "alpha"},
		{"me", "/api/v1/me", "Bearer " + read, 200, `"email":"viewer@example.com"`},
		{"malformed", "/api/v1/projects", "Bearer abc", 401, "invalid, expired or revoked token"},
		{"not bearer", "/api/v1/projects", "Basic dXNlcjpwYXNz", 401, "invalid"},
		{"unknown", "/api/v1/projects", "Bearer ospo_" + strings.Repeat("A", 43), 401, "invalid"},
		{"revoked", "/api/v1/projects", "Bearer " + revoked, 401, "invalid"},
		{"expired", "/api/v1/projects", "Bearer " + expired, 401, "invalid"},
		{"huge", "/api/v1/projects", "Bearer " + strings.Repeat("x", 8000), 401, "invalid"},
		{"viewer on audit", "/api/v1/audit", "Bearer " + read, 403, "may not audit.read"},
		{"ospo on audit", "/api/v1/audit", "Bearer " + ospo, 200, `"action":"token.create"`},
		{"viewer on metrics", "/metrics", "Bearer " + read, 403, "forbidden"},
		{"ospo on metrics", "/metrics", "Bearer " + ospo, 200, "ospo_http_requests_total"},
		{"healthz needs nothing", "/healthz", "", 200, "ok"},
		{"page without session", "/projects", "", 303, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := call{method: http.MethodGet, path: tc.path}
			if tc.header != "" {
				c.header = map[string]string{"Authorization": tc.header}
			}
			r := a.do(t, c)
			if r.status != tc.status || !strings.Contains(r.body, tc.body) {
				t.Errorf("%s: %d %.200s; want %d with %q", tc.path, r.status, r.body, tc.status, tc.body)
			}
		})
	}
	// No secret reaches the log.
	logs := a.logs.String()
	for _, secret := range []string{read, ospo, revoked, expired, password} {
		if strings.Contains(logs, secret) {
			t.Errorf("the log holds a secret %.12s…", secret)
		}
	}
}

func TestAnonymousModes(t *testing.T) {
	for _, tc := range []struct {
		name     string
		o        hub.AuthOptions
		projects int
		notice   bool
	}{
		{"required", hub.AuthOptions{Required: true}, http.StatusSeeOther, false},
		{"anonymous read", hub.AuthOptions{Required: true, AnonymousRead: true}, http.StatusOK, false},
		{"no sign-in configured", hub.AuthOptions{}, http.StatusOK, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := newAuthHub(t, openSQLite, tc.o)
			r := a.do(t, call{method: http.MethodGet, path: "/projects"})
			if r.status != tc.projects {
				t.Errorf("/projects: %d, want %d", r.status, tc.projects)
			}
			if got := strings.Contains(r.body, "No sign-in is configured"); got != tc.notice {
				t.Errorf("notice shown = %v, want %v", got, tc.notice)
			}
			if r := a.do(t, call{method: http.MethodGet, path: "/admin/audit"}); r.status != http.StatusSeeOther {
				t.Errorf("/admin/audit anonymously: %d, want a redirect to sign in", r.status)
			}
			if r := a.do(t, call{method: http.MethodPost, path: "/admin/users", form: url.Values{"email": {"x@example.com"}}}); r.status != http.StatusForbidden && r.status != http.StatusUnauthorized {
				t.Errorf("anonymous POST /admin/users: %d", r.status)
			}
		})
	}
}

func TestExpiredSession(t *testing.T) {
	a := newAuthHub(t, openSQLite, hub.AuthOptions{Required: true})
	now := time.Now()
	a.svc.Now = func() time.Time { return now }
	id := a.session(t, catalog.RoleAdmin)
	if r := a.do(t, call{method: http.MethodGet, path: "/admin/audit", session: id}); r.status != http.StatusOK {
		t.Fatalf("fresh session: %d", r.status)
	}
	now = now.Add(13 * time.Hour)
	r := a.do(t, call{method: http.MethodGet, path: "/admin/audit", session: id})
	if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/signin") {
		t.Errorf("idle session: %d → %s", r.status, r.header.Get("Location"))
	}
	if !slices.ContainsFunc((&http.Response{Header: r.header}).Cookies(), func(c *http.Cookie) bool { return c.Name == auth.SessionCookie && c.MaxAge < 0 }) {
		t.Error("the expired session's cookie is not cleared")
	}
}

// TestMeMaintains checks that /me lists the projects whose ownership
// claims name one of the account's teams: alpha's CODEOWNERS names
// @acme/payments, and the developer becomes a member of payments.
func TestMeMaintains(t *testing.T) {
	a := newAuthHub(t, openSQLite, hub.AuthOptions{Required: true})
	dev := a.session(t, catalog.RoleDeveloper)
	before := a.do(t, call{method: http.MethodGet, path: "/me", session: dev})
	if before.status != http.StatusOK || !strings.Contains(before.body, "ownership claims (CODEOWNERS, catalog-info.yaml, innersource.json) name you") {
		t.Fatalf("/me before membership: %d\n%s", before.status, before.body)
	}
	if err := a.st.ReplaceMemberships(context.Background(), catalog.MemberFile,
		[]catalog.Membership{{Team: "payments", Email: email(catalog.RoleDeveloper), Source: catalog.MemberFile}}, nil); err != nil {
		t.Fatal(err)
	}
	after := a.do(t, call{method: http.MethodGet, path: "/me", session: dev})
	if after.status != http.StatusOK || !strings.Contains(after.body, "<h2>Projects you maintain</h2>\n<ul><li><a href=\"/projects/") ||
		!strings.Contains(after.body, ">alpha</a></li></ul>") {
		t.Errorf("/me after membership: %d\n%s", after.status, after.body)
	}
}
