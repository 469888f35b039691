package hub_test

import (
	"context"
	"encoding/xml"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/ospo-project/ospo/internal/auth"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/hub"
	"github.com/ospo-project/ospo/internal/store"
)

// TestInboxFeed reads a developer's inbox as Atom with a token in the
// query or a bearer header, and refuses it without a valid token.
func TestInboxFeed(t *testing.T) { eachStore(t, testInboxFeed) }

func testInboxFeed(t *testing.T, open opener) {
	a := newAuthHub(t, open, hub.AuthOptions{Required: true})
	ctx := context.Background()
	dev := email(catalog.RoleDeveloper)
	if _, err := a.st.ReplaceProject(ctx, &catalog.Project{Key: "owned", Name: "owned", Path: "/src/owned", ScannerVersion: catalog.ScannerVersion,
		Owners:          []catalog.Owner{{Owner: dev, Source: catalog.OwnerCodeowners, Path: "CODEOWNERS", Pattern: "*"}},
		LicenseFindings: []catalog.LicenseFinding{{Severity: catalog.SeverityViolation, Rule: "license/strong-copyleft", PURL: "pkg:npm/gpl@1.0.0", License: "GPL-3.0-only", Message: "<b>no</b>"}},
	}); err != nil {
		t.Fatal(err)
	}
	secret, k, err := a.svc.CreateToken(ctx, auth.Actor{Name: "test", Source: "cli"}, dev, "feed", catalog.ScopeRead, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		call   call
		status int
	}{
		{"token in the query", call{method: http.MethodGet, path: "/feeds/inbox.atom?token=" + secret}, 200},
		{"bearer", call{method: http.MethodGet, path: "/feeds/inbox.atom", bearer: secret}, 200},
		{"no token", call{method: http.MethodGet, path: "/feeds/inbox.atom"}, 401},
		{"bad token", call{method: http.MethodGet, path: "/feeds/inbox.atom?token=ospo_nope"}, 401},
		{"a session is not enough", call{method: http.MethodGet, path: "/feeds/inbox.atom", session: a.session(t, catalog.RoleDeveloper)}, 401},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := a.do(t, c.call)
			if r.status != c.status {
				t.Fatalf("status %d, want %d: %s", r.status, c.status, r.body)
			}
			if c.status != 200 {
				return
			}
			if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/atom+xml") || r.header.Get("Cache-Control") != "private, no-store" {
				t.Errorf("headers %v", r.header)
			}
			var feed struct {
				Title   string `xml:"title"`
				Entries []struct {
					ID    string `xml:"id"`
					Title string `xml:"title"`
					Link  struct {
						Href string `xml:"href,attr"`
					} `xml:"link"`
				} `xml:"entry"`
			}
			if err := xml.Unmarshal([]byte(r.body), &feed); err != nil {
				t.Fatalf("feed: %v\n%s", err, r.body)
			}
			if len(feed.Entries) != 1 || !strings.Contains(feed.Entries[0].ID, "license:license/strong-copyleft:pkg:npm/gpl") ||
				!strings.HasPrefix(feed.Entries[0].Link.Href, "/projects/") {
				t.Errorf("feed = %+v, want the licence item", feed)
			}
			if strings.Contains(r.body, secret) {
				t.Error("the feed repeats the token")
			}
		})
	}
	if _, err := a.svc.RevokeToken(ctx, auth.Actor{Name: "test", Source: "cli"}, k.ID); err != nil {
		t.Fatal(err)
	}
	if r := a.do(t, call{method: http.MethodGet, path: "/feeds/inbox.atom?token=" + secret}); r.status != 401 {
		t.Errorf("revoked token: %d, want 401", r.status)
	}
}

// TestNewRepositoryForm creates a repository from the hub's form and
// refuses hostile input: a NAME that escapes, an unknown parameter, a
// value with a control character; a template reference in a value is
// kept as data.
func TestNewRepositoryForm(t *testing.T) {
	a := newAuthHub(t, openSQLite, hub.AuthOptions{Required: true})
	dev := a.session(t, catalog.RoleDeveloper)
	page := a.do(t, call{method: http.MethodGet, path: "/new?template=goservice", session: dev})
	if page.status != 200 || !strings.Contains(page.body, `name="param_module"`) || !strings.Contains(page.body, `name="csrf_token"`) {
		t.Fatalf("form: %d %.500s", page.status, page.body)
	}
	if r := a.do(t, call{method: http.MethodGet, path: "/new", session: a.session(t, catalog.RoleViewer)}); r.status != http.StatusForbidden {
		t.Errorf("a viewer gets the form: %d", r.status)
	}
	for _, c := range []struct {
		name string
		form url.Values
		want string
	}{
		{"path traversal", url.Values{"template": {"library"}, "name": {"../../etc"}, "param_module": {"x"}}, "no path separators"},
		{"absolute", url.Values{"template": {"library"}, "name": {"/tmp/x"}, "param_module": {"x"}}, "no path separators"},
		{"unknown parameter", url.Values{"template": {"library"}, "name": {"ok"}, "param_module": {"x"}, "param_evil": {"1"}}, "no parameter"},
		{"control character", url.Values{"template": {"library"}, "name": {"ok"}, "param_module": {"x\x1b[2J"}}, "control character"},
		{"missing required", url.Values{"template": {"library"}, "name": {"ok"}}, "required"},
		{"unknown template", url.Values{"template": {"../library"}, "name": {"ok"}}, "template"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := a.do(t, call{method: http.MethodPost, path: "/new", session: dev, form: c.form})
			if r.status != http.StatusBadRequest || !strings.Contains(r.body, c.want) {
				t.Errorf("status %d, want 400 saying %q: %.300s", r.status, c.want, r.body)
			}
		})
	}
	if ps, err := a.st.ListProjects(context.Background(), store.ProjectFilter{Query: "new/"}); err != nil || len(ps) != 0 {
		t.Errorf("refused forms created %v (%v)", ps, err)
	}
	r := a.do(t, call{method: http.MethodPost, path: "/new", session: dev, form: url.Values{"template": {"library"}, "name": {"strutil"},
		"param_module": {"example.com/strutil"}, "param_description": {"{{.module}} <b>hi</b>"}}})
	if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/projects/") {
		t.Fatalf("create: %d %s %.300s", r.status, r.header.Get("Location"), r.body)
	}
	p, err := a.st.Project(context.Background(), "strutil")
	if err != nil || p.Description != "{{.module}} <b>hi</b>" {
		t.Errorf("created project %+v, %v; want the description kept literally", p, err)
	}
	es, err := a.st.ListAudit(context.Background(), store.AuditFilter{Action: "repository.create"})
	if err != nil || len(es) != 1 || es[0].Actor != email(catalog.RoleDeveloper) || es[0].Object != "repository:strutil" {
		t.Errorf("audit = %+v, %v; want one repository.create by the developer", es, err)
	}

	// On a forge: the form offers the configured ones; a forge not offered
	// is refused before anything is made; the forge's refusal is shown
	// with its status; the forge and visibility asked for reach Create.
	if page := a.do(t, call{method: http.MethodGet, path: "/new", session: dev}); !strings.Contains(page.body, `<option value="gh">gh</option>`) ||
		!strings.Contains(page.body, `name="private"`) {
		t.Errorf("the form does not offer the forge: %.2000s", page.body)
	}
	form := func(name, forge string) url.Values {
		return url.Values{"template": {"library"}, "name": {name}, "param_module": {"example.com/" + name}, "forge": {forge}, "private": {"1"}}
	}
	a.mu.Lock()
	a.asked = nil
	a.mu.Unlock()
	if r := a.do(t, call{method: http.MethodPost, path: "/new", session: dev, form: form("x", "evil")}); r.status != http.StatusBadRequest ||
		!strings.Contains(r.body, "no forge named evil") {
		t.Errorf("unknown forge: %d %.300s", r.status, r.body)
	}
	if r := a.do(t, call{method: http.MethodPost, path: "/new", session: dev, form: form("taken", "gh")}); r.status != http.StatusConflict ||
		!strings.Contains(r.body, "a repository named taken exists already") {
		t.Errorf("name taken on the forge: %d %.300s", r.status, r.body)
	}
	if r := a.do(t, call{method: http.MethodPost, path: "/new", session: dev, form: form("billing", "gh")}); r.status != http.StatusSeeOther {
		t.Errorf("create on the forge: %d %.300s", r.status, r.body)
	}
	a.mu.Lock()
	asked := a.asked
	a.mu.Unlock()
	if len(asked) != 2 || asked[1].Name != "billing" || asked[1].Forge != "gh" || !asked[1].Private {
		t.Errorf("Create was asked %+v; want taken, then billing on gh, private", asked)
	}
	es, err = a.st.ListAudit(context.Background(), store.AuditFilter{Action: "repository.create"})
	if err != nil || len(es) != 2 || !strings.Contains(es[0].After+es[1].After, `"forge":"gh","private":true`) {
		t.Errorf("audit = %+v, %v; want the creation on gh audited", es, err)
	}
}

// TestInboxPagePaged: the inbox page shows the first 50 open items and a
// link to all of them; ?all=1 shows every one. The items here are JIRA
// issues assigned to the account (a source's facts).
func TestInboxPagePaged(t *testing.T) { eachStore(t, testInboxPagePaged) }

func testInboxPagePaged(t *testing.T, open opener) {
	a := newAuthHub(t, open, hub.AuthOptions{Required: true})
	ctx := context.Background()
	dev := email(catalog.RoleDeveloper)
	var issues []catalog.TrackerIssue
	for i := range 60 {
		issues = append(issues, catalog.TrackerIssue{Source: "jira", Key: "PAY-" + strconv.Itoa(i+1), Project: "PAY",
			Summary: "Task " + strconv.Itoa(i+1), StatusCategory: "new", Priority: "Medium", AssigneeEmail: dev,
			URL: "https://jira.example.com/browse/PAY-" + strconv.Itoa(i+1)})
	}
	if err := a.st.UpsertTrackerIssues(ctx, "jira", issues); err != nil {
		t.Fatal(err)
	}
	s := a.session(t, catalog.RoleDeveloper)
	r := a.do(t, call{method: http.MethodGet, path: "/me/inbox", session: s})
	if r.status != 200 || strings.Count(r.body, `class="inbox-item"`) != 50 || !strings.Contains(r.body, `href="/me/inbox?all=1"`) ||
		!strings.Contains(r.body, "10 more not shown") {
		t.Errorf("GET /me/inbox: %d, %d items\n%.2000s", r.status, strings.Count(r.body, `class="inbox-item"`), r.body)
	}
	r = a.do(t, call{method: http.MethodGet, path: "/me/inbox?all=1", session: s})
	if r.status != 200 || strings.Count(r.body, `class="inbox-item"`) != 60 || strings.Contains(r.body, "more not shown") {
		t.Errorf("GET /me/inbox?all=1: %d, %d items", r.status, strings.Count(r.body, `class="inbox-item"`))
	}
}
