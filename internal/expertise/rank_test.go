package expertise

import (
	"math"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
)

func TestRank(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	ann := catalog.Identity{Name: "Ann", Email: "ann@example.com"}
	annOld := catalog.Identity{Name: "A. Smith", Email: "ann@old.example.com"}
	bob := catalog.Identity{Name: "Bob", Email: "bob@example.com"}
	cy := catalog.Identity{Name: "Cy", Email: "Cy@Example.com"}
	projects := []ProjectAuthors{
		{ID: 1, Name: "api", Authors: []catalog.Author{
			{Identity: bob, Files: 8, Share: 0.8, LastChange: now.Add(-2 * HalfLife)},
			{Identity: ann, PersonID: "p-ann", Files: 5, Share: 0.5, LastChange: now},
		}},
		{ID: 2, Name: "web", Authors: []catalog.Author{
			{Identity: annOld, PersonID: "p-ann", Files: 3, Share: 0.3, LastChange: now.Add(-HalfLife)},
			{Identity: cy, Files: 1, Share: 0.1, LastChange: now.Add(time.Hour)}, // clock skew: counts as now
		}},
		{ID: 3, Name: "cli", Authors: []catalog.Author{
			{Identity: catalog.Identity{Name: "Cy", Email: "cy@example.com"}, Files: 1, Share: 0.1}, // undated
		}},
	}
	got := Rank(projects, now, 0)
	type row struct {
		key      string
		score    float64
		evidence []string
	}
	want := []row{
		{"p-ann", 0.5 + 0.15, []string{"api", "web"}},
		{"bob@example.com", 0.2, []string{"api"}},
		{"Cy@Example.com", 0.1 + 0.1*math.Exp2(-10), []string{"web", "cli"}},
	}
	if len(got) != len(want) {
		t.Fatalf("Rank = %+v, want %d people", got, len(want))
	}
	for i, w := range want {
		g := got[i]
		key := g.PersonID
		if key == "" {
			key = g.Email
		}
		var ev []string
		for _, e := range g.Evidence {
			ev = append(ev, e.Project)
		}
		if key != w.key || math.Abs(g.Score-w.score) > 1e-9 || len(ev) != len(w.evidence) || ev[0] != w.evidence[0] {
			t.Errorf("Rank[%d] = %s %.4f %v, want %s %.4f %v", i, key, g.Score, ev, w.key, w.score, w.evidence)
		}
	}
	if top := Rank(projects, now, 1); len(top) != 1 || top[0].PersonID != "p-ann" {
		t.Errorf("Rank(limit 1) = %+v, want ann alone", top)
	}
}
