package hub_test

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/ospo-project/ospo/internal/auth"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/expertise"
	"github.com/ospo-project/ospo/internal/hub"
	"github.com/ospo-project/ospo/internal/recommend"
	"github.com/ospo-project/ospo/internal/store"
)

// TestRecommendations checks the recommendations of the API and the person
// page, projects like this one, and that an opt-out is honoured at once.
func TestRecommendations(t *testing.T) { eachStore(t, testRecommendations) }

func testRecommendations(t *testing.T, open opener) {
	f := newFixture(t, open)
	srv := newServer(t, f.st)
	get := func(path string) recommend.Recommendations {
		t.Helper()
		r := do(t, srv, "GET", path)
		if r.status != 200 {
			t.Fatalf("GET %s = %d %s", path, r.status, r.body)
		}
		var v recommend.Recommendations
		if err := json.Unmarshal([]byte(r.body), &v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	// Mallory uses Go and cobra; Jane and Bob, who use them too, also use Shell
	// (the first of equally strong reasons explains it).
	v := get("/api/v1/people/mallory/recommendations")
	if len(v.Technologies) == 0 || v.Technologies[0].Name != "Shell" || v.Technologies[0].Why != "2 people who use github.com/spf13/cobra also use Shell" {
		t.Errorf("technologies for mallory: %+v", v.Technologies)
	}
	if len(v.People) == 0 || v.People[0].ID != "jane" || !strings.Contains(v.People[0].Why, "wrote 75% of alpha's code") {
		t.Errorf("people for mallory: %+v", v.People)
	}
	for _, tc := range []struct {
		path   string
		status int
	}{
		{"/api/v1/people/nobody/recommendations", 404},
		{"/api/v1/people/mallory/recommendations?limit=0", 400},
		{"/api/v1/people/mallory/recommendations?limit=x", 400},
		{"/api/v1/projects/999/similar", 404},
		{"/api/v1/projects/x/similar", 404},
	} {
		if r := do(t, srv, "GET", tc.path); r.status != tc.status {
			t.Errorf("GET %s = %d, want %d", tc.path, r.status, tc.status)
		}
	}
	// Both projects use cobra and Go, which every project uses: nothing rare is shared.
	if r := do(t, srv, "GET", "/api/v1/projects/"+strconv.FormatInt(f.alphaID, 10)+"/similar"); r.status != 200 || strings.TrimSpace(r.body) != "[]" {
		t.Errorf("similar alpha = %d %s, want []", r.status, r.body)
	}
	// The person page shows them, escaped.
	r := do(t, srv, "GET", "/people/mallory")
	if r.status != 200 || !strings.Contains(r.body, "Recommendations") || !strings.Contains(r.body, "2 people who use github.com/spf13/cobra also use Shell") ||
		strings.Contains(r.body, "<script>alert(3)") {
		t.Errorf("GET /people/mallory = %d\n%s", r.status, r.body)
	}
	// Jane opts out of appearing as an expert: she is no longer someone to
	// meet, nor among the people who know Shell's code, without waiting
	// for the snapshot to be rebuilt.
	if err := f.st.SetOptOut(context.Background(), catalog.OptOut{PersonID: "jane", Experts: true}, nil); err != nil {
		t.Fatal(err)
	}
	for _, p := range get("/api/v1/people/mallory/recommendations").People {
		if p.ID == "jane" {
			t.Errorf("jane opted out but is recommended: %+v", p)
		}
	}
	r = do(t, srv, "GET", "/api/v1/technologies/Shell")
	if r.status != 200 || strings.Contains(r.body, "jane@example.com") || !strings.Contains(r.body, "bob@example.com") {
		t.Errorf("GET /api/v1/technologies/Shell after jane's opt-out = %d\n%s", r.status, r.body)
	}
	// Bob opts out of recommendations: he gets none.
	if err := f.st.SetOptOut(context.Background(), catalog.OptOut{PersonID: "bob", Recommendations: true}, nil); err != nil {
		t.Fatal(err)
	}
	if v := get("/api/v1/people/bob/recommendations"); !v.OptedOut || len(v.Technologies) != 0 {
		t.Errorf("bob opted out but got %+v", v)
	}
}

// TestOptOutAPI checks that a signed-in person reads and changes their
// opt-outs through the API (a field left out keeps its value), and that the
// project's page and API then no longer name them among who knows its code
// (the truck factor stays).
func TestOptOutAPI(t *testing.T) { eachStore(t, testOptOutAPI) }

func testOptOutAPI(t *testing.T, open opener) {
	a := newAuthHub(t, open, hub.AuthOptions{Required: true})
	ctx := context.Background()
	actor := auth.Actor{Name: "test", Source: "cli"}
	if _, err := a.svc.CreateAccount(ctx, actor, "jane@example.com", catalog.RoleDeveloper, ""); err != nil {
		t.Fatal(err)
	}
	token := func(who string) string {
		secret, _, err := a.svc.CreateToken(ctx, actor, who, "", catalog.ScopeWrite, 0)
		if err != nil {
			t.Fatal(err)
		}
		return secret
	}
	jane := token("jane@example.com")
	state := func(r response) catalog.OptOut {
		t.Helper()
		if r.status != 200 {
			t.Fatalf("%d %s", r.status, r.body)
		}
		var o catalog.OptOut
		if err := json.Unmarshal([]byte(r.body), &o); err != nil {
			t.Fatal(err)
		}
		return o
	}
	if o := state(a.do(t, call{method: "GET", path: "/api/v1/me/opt-out", bearer: jane})); o.PersonID != "jane" || o.Experts || o.Recommendations {
		t.Errorf("before: %+v", o)
	}
	if o := state(a.do(t, call{method: "POST", path: "/api/v1/me/opt-out", bearer: jane, json: `{"experts": true}`})); !o.Experts || o.Recommendations {
		t.Errorf("after opting out as an expert: %+v", o)
	}
	if o := state(a.do(t, call{method: "POST", path: "/api/v1/me/opt-out", bearer: jane, json: `{"recommendations": true}`})); !o.Experts || !o.Recommendations {
		t.Errorf("experts left out of the second change was not kept: %+v", o)
	}
	if o := state(a.do(t, call{method: "GET", path: "/api/v1/me/opt-out", bearer: jane})); !o.Experts || !o.Recommendations {
		t.Errorf("read back: %+v", o)
	}
	es, err := a.st.ListAudit(ctx, store.AuditFilter{Action: auth.ActPersonOptOut})
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 2 || es[0].Actor != "jane@example.com" || es[0].Source != "api" {
		t.Errorf("audit entries: %+v, want two by jane from the api", es)
	}
	for _, tc := range []struct {
		name, json, bearer string
		status             int
	}{
		{"malformed", `{"experts": "yes"}`, jane, 400},
		{"unknown field", `{"expert": true}`, jane, 400},
		{"no person", `{"experts": true}`, token(email(catalog.RoleDeveloper)), 400},
	} {
		if r := a.do(t, call{method: "POST", path: "/api/v1/me/opt-out", bearer: tc.bearer, json: tc.json}); r.status != tc.status {
			t.Errorf("%s: %d %s, want %d", tc.name, r.status, r.body, tc.status)
		}
	}
	if r := a.do(t, call{method: "GET", path: "/api/v1/me/opt-out"}); r.status != 401 {
		t.Errorf("anonymous: %d %s, want 401", r.status, r.body)
	}
	// Jane wrote 75% of alpha: she is its truck factor, now not named.
	p, err := a.st.Project(ctx, "alpha")
	if err != nil {
		t.Fatal(err)
	}
	// (The contributors, a record of commits, still list her.)
	admin := a.session(t, catalog.RoleAdmin)
	r := a.do(t, call{method: "GET", path: "/api/v1/projects/" + strconv.FormatInt(p.ID, 10), session: admin})
	var got catalog.Project
	if err := json.Unmarshal([]byte(r.body), &got); r.status != 200 || err != nil || got.Expertise == nil {
		t.Fatalf("GET the project = %d %v\n%s", r.status, err, r.body)
	}
	if e, _ := json.Marshal(got.Expertise); strings.Contains(string(e), "Jane") || strings.Contains(string(e), "jane@") ||
		got.Expertise.TruckFactor != p.Expertise.TruckFactor || got.Expertise.KeyPeople[0].Name != expertise.OptedOutName {
		t.Errorf("the project's expertise after jane's opt-out: %s", e)
	}
	r = a.do(t, call{method: "GET", path: "/projects/" + strconv.FormatInt(p.ID, 10), session: admin})
	_, section, _ := strings.Cut(r.body, "Who knows this code")
	section, _, _ = strings.Cut(section, "</section>")
	if r.status != 200 || section == "" || strings.Contains(section, "Jane") || !strings.Contains(section, "a person who opted out") {
		t.Errorf("the project page's authorship after jane's opt-out = %d\n%s", r.status, section)
	}
}
