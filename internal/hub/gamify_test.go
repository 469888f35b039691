package hub_test

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/events"
	"github.com/ospo-project/ospo/internal/hub"
	"github.com/ospo-project/ospo/internal/openbadge"
	"github.com/ospo-project/ospo/internal/store"
)

func TestGamification(t *testing.T) { eachStore(t, testGamification) }

// testGamification serves events recorded for the fixture's people: the
// leaderboard ranks teams and only consenting people, the person page
// shows badges with their evidence (escaped), the API returns the same,
// and a manual claim goes through four eyes on the claims page.
func testGamification(t *testing.T, open opener) {
	a := newAuthHub(t, open, hub.AuthOptions{Required: true, AnonymousRead: true})
	ctx := context.Background()
	at := t0.AddDate(0, 0, -3)
	evs := []catalog.Event{
		{ID: "e1", Kind: events.KindFirstContribution, Source: catalog.EventGit, ProjectKey: "github.com/acme/alpha", Email: "bob@example.com",
			At: at, Points: 5, Summary: `first contribution to <script>alert(11)</script>`, Evidence: []catalog.Evidence{{Kind: "commit", Value: "abc123"}}},
		{ID: "e2", Kind: events.KindDocs, Source: catalog.EventGit, ProjectKey: "github.com/acme/alpha", Email: "jane@example.com",
			At: at, Points: 3, Summary: "docs", Evidence: []catalog.Evidence{{Kind: "commit", Value: "def456"}}},
	}
	if _, err := a.st.AddEvents(ctx, "github.com/acme/alpha", "", evs); err != nil {
		t.Fatal(err)
	}
	if err := a.st.ReplaceMemberships(ctx, catalog.MemberFile, []catalog.Membership{
		{Team: "payments", Email: "bob@example.com", Source: catalog.MemberFile},
		{Team: "payments", Email: "jane@example.com", Source: catalog.MemberFile},
	}, nil); err != nil {
		t.Fatal(err)
	}
	page := a.do(t, call{method: http.MethodGet, path: "/leaderboard"})
	if page.status != http.StatusOK || !strings.Contains(page.body, `<a href="/teams/payments">payments</a></td><td class="num">8</td><td class="num">2</td>`) ||
		strings.Contains(page.body, "Bob Stone") || !strings.Contains(page.body, "Bridge Builder") {
		t.Fatalf("GET /leaderboard = %d, want the payments team with 8 points and no person:\n%s", page.status, page.body)
	}
	if err := a.st.SetLeaderboardOptIn(ctx, "bob@example.com", true, nil); err != nil {
		t.Fatal(err)
	}
	if page := a.do(t, call{method: http.MethodGet, path: "/leaderboard"}); !strings.Contains(page.body, "<td>Bob Stone</td><td class=\"num\">5</td>") ||
		strings.Contains(page.body, "<td>Jane Doe</td>") {
		t.Errorf("after bob's consent the people board shows bob alone:\n%s", page.body)
	}
	person := a.do(t, call{method: http.MethodGet, path: "/people/bob"})
	for _, want := range []string{"5 points · level Newcomer", "<h3>First Steps</h3>", "commit abc123", "&lt;script&gt;alert(11)&lt;/script&gt;"} {
		if !strings.Contains(person.body, want) {
			t.Errorf("/people/bob lacks %q", want)
		}
	}
	if strings.Contains(person.body, "<script>alert(11)") {
		t.Error("/people/bob shows an event summary unescaped")
	}

	var st events.Standing
	res := a.do(t, call{method: http.MethodGet, path: "/api/v1/people/bob/badges"})
	if err := json.Unmarshal([]byte(res.body), &st); err != nil || res.status != 200 || st.Points != 5 || len(st.Badges) != 1 || st.Badges[0].ID != "first-steps" {
		t.Errorf("GET /api/v1/people/bob/badges = %d %+v (%v)", res.status, st, err)
	}
	var list []catalog.Event
	res = a.do(t, call{method: http.MethodGet, path: "/api/v1/events?project=alpha&kind=documentation_added"})
	if err := json.Unmarshal([]byte(res.body), &list); err != nil || len(list) != 1 || list[0].PersonID != "jane" || list[0].Project != "alpha" {
		t.Errorf("GET /api/v1/events = %d %s", res.status, res.body)
	}
	for _, path := range []string{"/api/v1/events?person=nobody", "/api/v1/people/nobody/badges"} {
		if res := a.do(t, call{method: http.MethodGet, path: path}); res.status != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", path, res.status)
		}
	}
	if res := a.do(t, call{method: http.MethodGet, path: "/api/v1/events?limit=x"}); res.status != http.StatusBadRequest {
		t.Errorf("GET /api/v1/events?limit=x = %d, want 400", res.status)
	}

	// No issuer key: no credential.
	if res := a.do(t, call{method: http.MethodGet, path: "/api/v1/people/bob/badges/first-steps/credential"}); res.status != http.StatusNotFound {
		t.Errorf("credential without an issuer key = %d, want 404", res.status)
	}

	// A developer claims a talk; the OSPO approves it; the claimant may not.
	dev := a.session(t, catalog.RoleDeveloper)
	if res := a.do(t, call{method: http.MethodPost, path: "/claims", session: dev, form: url.Values{"kind": {"talk"}, "evidence": {"javascript:alert(1)"}}}); res.status != http.StatusBadRequest {
		t.Errorf("claim with a javascript: link = %d, want 400", res.status)
	}
	if res := a.do(t, call{method: http.MethodPost, path: "/claims", session: dev, form: url.Values{"kind": {"talk"}, "evidence": {"https://conf.example/t/9"}}}); res.status != http.StatusSeeOther {
		t.Fatalf("claim = %d %s", res.status, res.body)
	}
	cs, err := a.st.Claims(ctx, catalog.ClaimPending)
	if err != nil || len(cs) != 1 {
		t.Fatalf("pending claims = %+v, %v", cs, err)
	}
	approve := "/claims/" + itoa(cs[0].ID) + "/approve"
	if res := a.do(t, call{method: http.MethodPost, path: approve, session: dev, form: url.Values{}}); res.status != http.StatusForbidden {
		t.Errorf("a developer approving = %d, want 403", res.status)
	}
	ospo := a.session(t, catalog.RoleOSPO)
	if page := a.do(t, call{method: http.MethodGet, path: "/claims", session: ospo}); !strings.Contains(page.body, "https://conf.example/t/9") {
		t.Errorf("the OSPO's claims page lacks the pending claim:\n%s", page.body)
	}
	if res := a.do(t, call{method: http.MethodPost, path: approve, session: ospo, form: url.Values{}}); res.status != http.StatusSeeOther {
		t.Fatalf("OSPO approving = %d %s", res.status, res.body)
	}
	got, err := a.st.Events(ctx, store.EventFilter{Email: email(catalog.RoleDeveloper)})
	if err != nil || len(got) != 1 || got[0].Kind != events.KindTalk || got[0].Source != catalog.EventManual {
		t.Errorf("events of the developer after approval = %+v, %v", got, err)
	}
	// Four eyes: the OSPO member who claims does not approve.
	if res := a.do(t, call{method: http.MethodPost, path: "/claims", session: ospo, form: url.Values{"kind": {"blog_post"}, "evidence": {"https://blog.example/p"}}}); res.status != http.StatusSeeOther {
		t.Fatalf("OSPO claim = %d %s", res.status, res.body)
	}
	cs, _ = a.st.Claims(ctx, catalog.ClaimPending)
	if len(cs) != 1 {
		t.Fatalf("pending claims = %+v", cs)
	}
	if res := a.do(t, call{method: http.MethodPost, path: "/claims/" + itoa(cs[0].ID) + "/approve", session: ospo, form: url.Values{}}); res.status != http.StatusForbidden ||
		!strings.Contains(res.body, "four eyes") {
		t.Errorf("the claimant approving = %d, want 403 four eyes", res.status)
	}
}

func TestBadgeCredential(t *testing.T) { eachStore(t, testBadgeCredential) }

// testBadgeCredential serves a hub with an issuer key: a person's earned
// badge downloads as a credential that verifies, from the page and the API;
// an unearned badge is 404.
func testBadgeCredential(t *testing.T, open opener) {
	f := newFixture(t, open)
	ctx := context.Background()
	if _, err := f.st.AddEvents(ctx, "github.com/acme/alpha", "", []catalog.Event{{ID: "e1", Kind: events.KindFirstContribution,
		Source: catalog.EventGit, ProjectKey: "github.com/acme/alpha", Email: "bob@example.com", At: t0, Points: 5, Summary: "first",
		Evidence: []catalog.Evidence{{Kind: "commit", Value: "abc123"}}}}); err != nil {
		t.Fatal(err)
	}
	_, key, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	iss := openbadge.Issuer{Key: key, Name: "ACME OSPO", URL: "https://hub.example/"}
	h, err := hub.New(f.st, slog.New(slog.DiscardHandler), hub.WithBadgeIssuer(iss))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	get := func(path string) (int, []byte, http.Header) {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b, resp.Header
	}
	for _, path := range []string{"/people/bob/badges/first-steps/credential.json", "/api/v1/people/bob/badges/first-steps/credential"} {
		status, body, _ := get(path)
		if status != http.StatusOK {
			t.Fatalf("GET %s = %d %s", path, status, body)
		}
		v, err := openbadge.Verify(body, time.Now())
		if err != nil || v.Issuer != openbadge.DIDKey(key.Public().(ed25519.PublicKey)) || v.Achievement != "First Steps" || v.Evidence != 1 {
			t.Errorf("GET %s: Verify = %+v, %v", path, v, err)
		}
	}
	if _, _, hdr := get("/people/bob/badges/first-steps/credential.json"); !strings.Contains(hdr.Get("Content-Disposition"), `filename="first-steps.json"`) {
		t.Errorf("Content-Disposition = %q", hdr.Get("Content-Disposition"))
	}
	if status, _, _ := get("/people/bob"); status != http.StatusOK {
		t.Fatalf("GET /people/bob = %d", status)
	}
	if _, body, _ := get("/people/bob"); !strings.Contains(string(body), `href="/people/bob/badges/first-steps/credential.json"`) {
		t.Error("the person page has no credential link")
	}
	for _, path := range []string{"/api/v1/people/bob/badges/guardian/credential", "/api/v1/people/jane/badges/first-steps/credential", "/people/nobody/badges/first-steps/credential.json"} {
		if status, _, _ := get(path); status != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", path, status)
		}
	}
}
