package hub_test

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/recommend"
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
