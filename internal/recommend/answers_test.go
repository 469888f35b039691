package recommend_test

import (
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/recommend"
)

// TestAnswerEqualsFor checks that the answers computed once per model and
// then looked up are For's, for every person, under opt-outs made after
// the build (a few people, and so many that the spare people run out).
func TestAnswerEqualsFor(t *testing.T) {
	e := synthetic(300, 200)
	e.Resources = []recommend.Resource{{Title: "Go", URL: "https://go.dev/doc", Technologies: []string{"go"}}}
	m := recommend.Build(e, now)
	rng := rand.New(rand.NewPCG(3, 4))
	few, many := map[string]catalog.OptOut{}, map[string]catalog.OptOut{}
	for _, p := range e.People {
		switch x := rng.IntN(10); {
		case x == 0:
			few[p.ID] = catalog.OptOut{PersonID: p.ID, Experts: true}
			many[p.ID] = few[p.ID]
		case x == 1:
			few[p.ID] = catalog.OptOut{PersonID: p.ID, Recommendations: true}
			many[p.ID] = few[p.ID]
		case x < 7:
			many[p.ID] = catalog.OptOut{PersonID: p.ID, Experts: true}
		}
	}
	m.Warm()
	for _, tc := range []struct {
		name    string
		optOuts map[string]catalog.OptOut
		limit   int
	}{
		{"nobody", map[string]catalog.OptOut{}, recommend.AnswerLimit},
		{"few", few, recommend.AnswerLimit},
		{"many", many, recommend.AnswerLimit},
		{"above", few, recommend.AnswerLimit + 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opted := 0
			for _, p := range e.People {
				want, err := m.For(p.ID, recommend.Options{Limit: tc.limit, OptOuts: tc.optOuts, Now: now})
				if err != nil {
					t.Fatal(err)
				}
				got, err := m.Answer(p.Email, tc.limit, tc.optOuts)
				if err != nil {
					t.Fatal(err)
				}
				if d := cmp.Diff(want, got); d != "" {
					t.Fatalf("%s: Answer differs from For (-For +Answer):\n%s", p.ID, d)
				}
				if got.OptedOut {
					opted++
				}
			}
			if tc.name == "few" && opted == 0 {
				t.Error("nobody opted out of recommendations: the case tests nothing")
			}
		})
	}
	// A smaller limit is the first items of the lists.
	got, err := m.Answer(e.People[0].ID, 3, nil)
	if err != nil {
		t.Fatal(err)
	}
	full, _ := m.Answer(e.People[0].ID, 0, nil)
	if len(got.Technologies) != min(3, len(full.Technologies)) || (len(got.Technologies) > 0 && got.Technologies[0].ID != full.Technologies[0].ID) {
		t.Errorf("limit 3: %+v, want the first 3 of %+v", got.Technologies, full.Technologies)
	}
	if _, err := m.Answer("nobody@example.com", 0, nil); err == nil {
		t.Error("unknown person: no error")
	}
}
