package hub_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/auth"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/hub"
	"github.com/ospo-project/ospo/internal/hub/estate"
)

func TestHelpWanted(t *testing.T) { eachStore(t, testHelpWanted) }

// testHelpWanted: a developer of the owning team posts help wanted for
// their project on the hub and through the API; a developer of another
// team, a viewer, and bad input are refused with a clear reason; the
// marketplace lists the open posts, escaped, with a person who knows the
// skill (not the author); a closed or expired post is hidden.
func testHelpWanted(t *testing.T, open opener) {
	a := newAuthHub(t, open, hub.AuthOptions{Required: true})
	ctx := context.Background()
	recent := time.Now().UTC().AddDate(0, 0, -7)
	for _, p := range []*catalog.Project{
		{Key: "k/market", Name: "market", Path: "/src/market", Kind: catalog.KindInnerSource, ScannerVersion: catalog.ScannerVersion,
			Languages: []catalog.Language{{Name: "Go", Bytes: 10, Files: 1}},
			Owners:    []catalog.Owner{{Owner: "@acme/payments", Source: catalog.OwnerCodeowners, Path: "CODEOWNERS", Pattern: "*"}},
			Contributors: []catalog.Contribution{
				{Identity: catalog.Identity{Name: "Ole", Email: "ole@example.com"}, Commits: 3, FirstCommit: recent, LastCommit: recent},
				{Identity: catalog.Identity{Name: "Dev", Email: email(catalog.RoleDeveloper)}, Commits: 1, FirstCommit: recent, LastCommit: recent},
			}},
		{Key: "k/ledger", Name: "ledger", Path: "/src/ledger", ScannerVersion: catalog.ScannerVersion,
			Owners: []catalog.Owner{{Owner: "@acme/ledger", Source: catalog.OwnerCodeowners, Path: "CODEOWNERS", Pattern: "*"}}},
	} {
		if _, err := a.st.ReplaceProject(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	ole := catalog.Identity{Name: "Ole", Email: "ole@example.com"}
	dev := catalog.Identity{Name: "Dev", Email: email(catalog.RoleDeveloper)}
	if err := a.st.ReplacePeople(ctx, []catalog.Person{{ID: "ole", Name: "Ole", Email: ole.Email, Identities: []catalog.Identity{ole}},
		{ID: "dev", Name: "Dev", Email: dev.Email, Identities: []catalog.Identity{dev}}}); err != nil {
		t.Fatal(err)
	}
	if err := a.st.ReplaceMemberships(ctx, catalog.MemberFile, []catalog.Membership{
		{Team: "payments", Email: email(catalog.RoleDeveloper), Source: catalog.MemberFile},
		{Team: "payments", Email: email(catalog.RoleViewer), Source: catalog.MemberFile},
	}, nil); err != nil {
		t.Fatal(err)
	}
	future := time.Now().UTC().AddDate(0, 1, 0).Format(time.DateOnly)
	form := func(project, title, size, ends string) url.Values {
		return url.Values{"project": {project}, "title": {title}, "description": {"two <i>commands</i> left"},
			"skills": {"go, Go"}, "size": {size}, "ends": {ends}}
	}
	devSession, viewerSession := a.session(t, catalog.RoleDeveloper), a.session(t, catalog.RoleViewer)
	tests := []struct {
		name    string
		session string
		form    url.Values
		status  int
		problem string
	}{
		{"another team's project", devSession, form("ledger", "x", "small", future), http.StatusForbidden, "only the project&#39;s maintainers (or the OSPO) may do this"},
		{"a viewer of the owning team", viewerSession, form("market", "x", "small", future), http.StatusForbidden, "only the project&#39;s maintainers"},
		{"no title", devSession, form("market", " ", "small", future), http.StatusBadRequest, "a title is required"},
		{"bad size", devSession, form("market", "x", "huge", future), http.StatusBadRequest, "size &#34;huge&#34; is not one of small, medium, large"},
		{"bad end", devSession, form("market", "x", "small", "next week"), http.StatusBadRequest, "the end date must be a day, YYYY-MM-DD"},
		{"no end", devSession, form("market", "x", "small", ""), http.StatusBadRequest, "an end date is required"},
		{"unknown project", devSession, form("nowhere", "x", "small", future), http.StatusNotFound, ""},
		{"the maintainer", devSession, form("market", "Port the CLI to <b>cobra</b>", "small", future), http.StatusSeeOther, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := a.do(t, call{method: http.MethodPost, path: "/innersource/help", session: tc.session, form: tc.form})
			if res.status != tc.status || !strings.Contains(res.body, tc.problem) {
				t.Errorf("status %d, want %d with %q:\n%s", res.status, tc.status, tc.problem, res.body)
			}
		})
	}
	// An expired one, written straight to the store: hidden.
	if _, err := a.st.SaveHelpPost(ctx, catalog.HelpPost{ProjectKey: "k/market", Title: "Old request", Size: "large",
		EndsAt: time.Now().UTC().AddDate(0, 0, -2), Author: email(catalog.RoleDeveloper)}, nil); err != nil {
		t.Fatal(err)
	}
	// Through the API, with the developer's token.
	secret := a.token(t, catalog.RoleDeveloper)
	res := a.do(t, call{method: http.MethodPost, path: "/api/v1/help-wanted", bearer: secret,
		json: `{"project": "k/market", "title": "Review the schema", "skills": ["SQL"], "size": "medium", "ends": "` + future + `"}`})
	if res.status != http.StatusCreated {
		t.Fatalf("POST /api/v1/help-wanted = %d: %s", res.status, res.body)
	}
	var created catalog.HelpPost
	if err := json.Unmarshal([]byte(res.body), &created); err != nil || created.ID == 0 || created.Author != email(catalog.RoleDeveloper) {
		t.Fatalf("created %+v (%v)", created, err)
	}

	// The first listing starts building the recommendation model in the
	// background and says helpers are pending; the listing matches people
	// once it is built.
	first := a.do(t, call{method: http.MethodGet, path: "/innersource", session: devSession})
	if !strings.Contains(first.body, "matching people: try again in a minute") && !strings.Contains(first.body, ">Ole</a>") {
		t.Errorf("/innersource before the model is built neither matches people nor says it will: %s", first.body)
	}
	for deadline := time.Now().Add(2 * time.Minute); ; {
		var hs []estate.HelpWanted
		res := a.do(t, call{method: http.MethodGet, path: "/api/v1/help-wanted", bearer: secret})
		if err := json.Unmarshal([]byte(res.body), &hs); err != nil {
			t.Fatalf("%v: %s", err, res.body)
		}
		if len(hs) > 0 && !hs[0].HelpersPending {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("helpers still pending: %s", res.body)
		}
		time.Sleep(10 * time.Millisecond)
	}
	page := a.do(t, call{method: http.MethodGet, path: "/innersource", session: devSession})
	for _, want := range []string{"Port the CLI to &lt;b&gt;cobra&lt;/b&gt;", "two &lt;i&gt;commands&lt;/i&gt; left", "Review the schema", ">Ole</a>", "knows go"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("/innersource lacks %q", want)
		}
	}
	for _, not := range []string{"<b>cobra", "Old request"} {
		if strings.Contains(page.body, not) {
			t.Errorf("/innersource has %q", not)
		}
	}
	res = a.do(t, call{method: http.MethodGet, path: "/api/v1/help-wanted", bearer: secret})
	var listed []estate.HelpWanted
	if err := json.Unmarshal([]byte(res.body), &listed); err != nil {
		t.Fatalf("%v: %s", err, res.body)
	}
	if len(listed) != 2 || len(listed[0].Helpers) == 0 || listed[0].Helpers[0].ID != "ole" {
		t.Fatalf("listed %+v, want the two open posts, Ole matched for Go (the author is never offered)", listed)
	}
	for _, h := range listed[0].Helpers {
		if h.ID == "dev" {
			t.Errorf("the author is offered as a helper: %+v", h)
		}
	}

	// Closing: refused to a developer of another team, done by the maintainer.
	if err := a.st.ReplaceMemberships(ctx, catalog.MemberFile, []catalog.Membership{
		{Team: "payments", Email: email(catalog.RoleDeveloper), Source: catalog.MemberFile},
	}, nil); err != nil {
		t.Fatal(err)
	}
	path := "/api/v1/help-wanted/" + itoa(created.ID) + "/close"
	if res := a.do(t, call{method: http.MethodPost, path: path, bearer: a.token(t, catalog.RoleViewer), json: `{}`}); res.status != http.StatusForbidden {
		t.Errorf("a viewer closes: %d %s", res.status, res.body)
	}
	if res := a.do(t, call{method: http.MethodPost, path: path, bearer: secret, json: `{}`}); res.status != http.StatusOK {
		t.Errorf("the maintainer closes: %d %s", res.status, res.body)
	}
	res = a.do(t, call{method: http.MethodGet, path: "/api/v1/help-wanted", bearer: secret})
	if strings.Contains(res.body, "Review the schema") || !strings.Contains(res.body, "cobra") {
		t.Errorf("after closing: %s", res.body)
	}
}

// token returns a new write token of the account of role r.
func (a *authHub) token(t *testing.T, r catalog.Role) string {
	t.Helper()
	secret, _, err := a.svc.CreateToken(context.Background(), auth.Actor{Name: "test", Source: "cli"}, email(r), "", catalog.ScopeWrite, 0)
	if err != nil {
		t.Fatal(err)
	}
	return secret
}
