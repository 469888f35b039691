package hub_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// TestExpertsFromSnapshot checks that the people shown on technology and
// team pages, computed from the estate snapshot, are what store.Experts
// returns for the same projects.
func TestExpertsFromSnapshot(t *testing.T) { eachStore(t, testExpertsFromSnapshot) }

func testExpertsFromSnapshot(t *testing.T, open opener) {
	f := newFixture(t, open)
	srv := newServer(t, f.st)
	for _, tc := range []struct {
		path, field string
		ids         []int64
		limit       int
	}{
		{"/api/v1/technologies/pkg:golang%2Fgithub.com%2Fspf13%2Fcobra", "experts", []int64{f.alphaID, f.evilID}, 25},
		{"/api/v1/technologies/Shell", "experts", []int64{f.alphaID}, 25},
		{"/api/v1/teams/@acme%2Fpayments", "members", []int64{f.alphaID}, 50},
	} {
		r := do(t, srv, "GET", tc.path)
		if r.status != 200 {
			t.Fatalf("GET %s = %d", tc.path, r.status)
		}
		var v map[string]json.RawMessage
		if err := json.Unmarshal([]byte(r.body), &v); err != nil {
			t.Fatal(err)
		}
		want, err := f.st.Experts(context.Background(), tc.ids, tc.limit)
		if err != nil {
			t.Fatal(err)
		}
		wantJSON, _ := json.Marshal(want)
		var got, exp any
		json.Unmarshal(v[tc.field], &got)
		json.Unmarshal(wantJSON, &exp)
		g, _ := json.Marshal(got)
		e, _ := json.Marshal(exp)
		if string(g) != string(e) {
			t.Errorf("GET %s: %s =\n%s\nstore.Experts =\n%s", tc.path, tc.field, g, e)
		}
	}
}

// TestTechnologyPaged checks that a technology page lists the projects
// using it a page at a time, with a link to the next.
func TestTechnologyPaged(t *testing.T) { eachStore(t, testTechnologyPaged) }

func testTechnologyPaged(t *testing.T, open opener) {
	f := newFixture(t, open)
	srv := newServer(t, f.st)
	cobra := "/technologies/pkg:golang%2Fgithub.com%2Fspf13%2Fcobra"
	r := do(t, srv, "GET", cobra)
	if r.status != 200 || strings.Count(r.body, `<td><a href="/projects/`) != 2 || strings.Contains(r.body, `rel="next"`) {
		t.Errorf("GET %s: want both projects and no next link (status %d)", cobra, r.status)
	}
	r = do(t, srv, "GET", cobra+"?limit=1")
	if r.status != 200 || strings.Count(r.body, `<td><a href="/projects/`) != 1 || !strings.Contains(r.body, `rel="next"`) ||
		!strings.Contains(r.body, "1–1 of 2") || !strings.Contains(r.body, "offset=1") {
		t.Errorf("GET %s?limit=1: want one project of 2 and a next link (status %d)\n%s", cobra, r.status, r.body)
	}
	r = do(t, srv, "GET", cobra+"?offset=1")
	if r.status != 200 || strings.Count(r.body, `<td><a href="/projects/`) != 1 || !strings.Contains(r.body, "2–2 of 2") {
		t.Errorf("GET %s?offset=1: want the second project (status %d)", cobra, r.status)
	}
	if r := do(t, srv, "GET", cobra+"?offset=-1"); r.status != 400 {
		t.Errorf("negative offset = %d, want 400", r.status)
	}
}
