package estate

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
)

// TestExpertsMatchStore checks the snapshot's experts against the store's
// Experts on a random estate: people with several identities, bots,
// contributions of nobody, ties in commits, and many sets of projects.
func TestExpertsMatchStore(t *testing.T) {
	ctx := context.Background()
	st := tempStore(ctx, t)
	rng := rand.New(rand.NewPCG(1, 2))
	day := time.Date(2025, 5, 5, 0, 0, 0, 0, time.UTC)
	const nPeople, nProjects = 30, 80
	var people []catalog.Person
	for i := range nPeople {
		p := catalog.Person{ID: fmt.Sprintf("p%02d", i), Name: fmt.Sprintf("Person %d", i%25), Email: fmt.Sprintf("p%d@example.com", i), Bot: i%13 == 0}
		for j := range 1 + i%3 {
			p.Identities = append(p.Identities, catalog.Identity{Name: fmt.Sprintf("P%d-%d", i, j), Email: fmt.Sprintf("p%d-%d@example.com", i, j)})
		}
		people = append(people, p)
	}
	var ids []int64
	for i := range nProjects {
		pr := &catalog.Project{Key: fmt.Sprintf("k%03d", i), Name: fmt.Sprintf("proj%d", i%50), Path: fmt.Sprintf("/src/%d", i), ScannerVersion: catalog.ScannerVersion}
		used := map[catalog.Identity]bool{} // a scan gives one contribution per identity
		for range rng.IntN(8) {
			var id catalog.Identity
			if rng.IntN(10) == 0 {
				id = catalog.Identity{Name: "Nobody", Email: fmt.Sprintf("nobody%d@example.com", rng.IntN(3))}
			} else {
				p := people[rng.IntN(nPeople)]
				id = p.Identities[rng.IntN(len(p.Identities))]
			}
			if used[id] {
				continue
			}
			used[id] = true
			first := day.AddDate(0, 0, -rng.IntN(400))
			pr.Contributors = append(pr.Contributors, catalog.Contribution{Identity: id, Commits: rng.IntN(5),
				LinesAdded: int64(rng.IntN(100)), LinesRemoved: int64(rng.IntN(50)), FirstCommit: first, LastCommit: first.AddDate(0, 0, rng.IntN(30))})
		}
		id, err := st.ReplaceProject(ctx, pr)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if err := st.ReplacePeople(ctx, people); err != nil {
		t.Fatal(err)
	}
	c := New(st, time.Hour)
	for round := range 40 {
		var set []int64
		for _, id := range ids {
			if rng.IntN(4) == 0 {
				set = append(set, id)
			}
		}
		if round%5 == 0 && len(set) > 0 {
			set = append(set, set[0], 999999) // a duplicate and an unknown ID
		}
		limit := []int{0, 1, 5, 25}[round%4]
		want, err := st.Experts(ctx, set, limit)
		if err != nil {
			t.Fatal(err)
		}
		got, err := c.experts(ctx, set, limit)
		if err != nil {
			t.Fatal(err)
		}
		if len(want) == 0 {
			want = []catalog.Person{}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("round %d (%d projects, limit %d): experts differ from the store's (-store +snapshot):\n%s", round, len(set), limit, diff)
		}
	}
}
