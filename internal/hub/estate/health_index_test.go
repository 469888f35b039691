package estate

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/health"
	"github.com/ospo-project/ospo/internal/store"
	"github.com/ospo-project/ospo/internal/store/teststore"
)

// TestHealthIndex checks, on both stores, that the health of the estate,
// of teams and of projects answered from the health index (kept from one
// snapshot to the next, only replaced projects read again) is what
// health.Compute gives over the store's activity, after each kind of
// write: projects rescanned with new weeks, added, deleted, given to
// another team, people's identities merged, nothing. After each write
// Warm brings the index up to date (as the hub's warming loop does); the
// Catalog's TTL is an hour, so nothing is rebuilt on a request.
func TestHealthIndex(t *testing.T) {
	teststore.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		now := time.Date(2025, 6, 11, 12, 0, 0, 0, time.UTC)
		this := catalog.WeekOf(now)
		project := func(i, variant int) *catalog.Project {
			p := &catalog.Project{Key: fmt.Sprintf("github.com/acme/p%02d", i), Name: fmt.Sprintf("p%02d", i),
				Path: fmt.Sprintf("/nonexistent/p%02d", i), HeadCommit: fmt.Sprintf("%040x", i*100+variant),
				Owners:  []catalog.Owner{{Owner: fmt.Sprintf("@acme/team%d", (i+variant)%3), Source: catalog.OwnerCodeowners, Path: "CODEOWNERS"}},
				Commits: 10, ScannerVersion: catalog.ScannerVersion, ScannedAt: now}
			for c := range 2 + (i+variant)%3 {
				who := (i + 2*c + variant) % 7
				ct := catalog.Contribution{Identity: catalog.Identity{Name: fmt.Sprintf("Dev %d", who), Email: fmt.Sprintf("dev%d@org%d.example", who, who%3)}}
				for w := range 40 {
					if (w+i+c+variant)%(c+2) == 0 {
						wk := this.AddDate(0, 0, -7*w)
						ct.Weeks = append(ct.Weeks, catalog.WeekActivity{Week: wk, Commits: 1 + (w+variant)%3})
						ct.Commits += 1 + (w+variant)%3
						ct.FirstCommit = wk
					}
				}
				p.Contributors = append(p.Contributors, ct)
			}
			return p
		}
		replace := func(i, variant int) {
			t.Helper()
			if _, err := st.ReplaceProject(ctx, project(i, variant)); err != nil {
				t.Fatal(err)
			}
		}
		for i := range 12 {
			replace(i, 0)
		}
		c := New(st, time.Hour)
		c.now = func() time.Time { return now }

		// want computes the health of the projects owns accepts from the
		// store's activity, as the hub did before the index.
		want := func(owns func(p catalog.Project) bool, weeks int) (health.Report, int) {
			t.Helper()
			all, err := st.ListProjects(ctx, store.ProjectFilter{})
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, p := range all {
				if owns(p) {
					ids = append(ids, p.ID)
				}
			}
			act, err := st.Activity(ctx, ids)
			if err != nil {
				t.Fatal(err)
			}
			var in health.Input
			for _, id := range slices.Sorted(maps.Keys(act)) {
				in.Contributions = append(in.Contributions, act[id]...)
			}
			return health.Compute(in, c.healthOptions(weeks)), len(ids)
		}
		check := func(step string) {
			t.Helper()
			if err := c.Warm(ctx); err != nil {
				t.Fatal(err)
			}
			for _, weeks := range []int{4, 13, 52} {
				got, err := c.EstateHealth(ctx, weeks)
				if err != nil {
					t.Fatal(err)
				}
				w, n := want(func(catalog.Project) bool { return true }, weeks)
				if diff := cmp.Diff(w, got.Report); diff != "" || got.Projects != n {
					t.Errorf("%s: estate over %d weeks, %d projects (want %d) (-want +got):\n%s", step, weeks, got.Projects, n, diff)
				}
				for _, team := range []string{"team0", "@acme/team2"} {
					got, err := c.TeamHealth(ctx, team, weeks)
					if err != nil {
						t.Fatal(err)
					}
					w, n := want(func(p catalog.Project) bool { return health.OwnedBy(p, team) }, weeks)
					if diff := cmp.Diff(w, got.Report); diff != "" || got.Projects != n {
						t.Errorf("%s: team %s over %d weeks, %d projects (want %d) (-want +got):\n%s", step, team, weeks, got.Projects, n, diff)
					}
				}
				for _, key := range []string{"github.com/acme/p01", "github.com/acme/p05"} {
					p, err := st.Project(ctx, key)
					if err != nil {
						t.Fatal(err)
					}
					got, err := c.ProjectHealth(ctx, strconv.FormatInt(p.ID, 10), weeks)
					if err != nil {
						t.Fatal(err)
					}
					w, _ := want(func(q catalog.Project) bool { return q.ID == p.ID }, weeks)
					// The checkout does not exist: no tags, release frequency not available, as before.
					if diff := cmp.Diff(w, got.Report); diff != "" || got.Name != p.Name {
						t.Errorf("%s: project %s over %d weeks (-want +got):\n%s", step, key, weeks, diff)
					}
				}
			}
		}
		check("first")
		check("nothing changed")
		replace(1, 1) // rescanned: other weeks, another team
		replace(5, 2)
		check("two projects rescanned")
		replace(12, 0)
		check("a project added")
		if err := st.DeleteProject(ctx, "github.com/acme/p03"); err != nil {
			t.Fatal(err)
		}
		check("a project deleted")
		var ps []catalog.Person
		for who := range 7 {
			id := catalog.Identity{Name: fmt.Sprintf("Dev %d", who), Email: fmt.Sprintf("dev%d@org%d.example", who, who%3)}
			ps = append(ps, catalog.Person{ID: fmt.Sprintf("dev%d", who), Name: id.Name, Email: id.Email, Identities: []catalog.Identity{id}})
		}
		if err := st.ReplacePeople(ctx, ps); err != nil {
			t.Fatal(err)
		}
		check("people recorded")
		ps[0].Identities = append(ps[0].Identities, ps[1].Identities...) // dev1 is dev0
		ps = append(ps[:1], ps[2:]...)
		if err := st.ReplacePeople(ctx, ps); err != nil {
			t.Fatal(err)
		}
		check("two people merged")
		if _, err := c.TeamHealth(ctx, "nobody", 13); err == nil {
			t.Error("the health of a team of no project: no error")
		}
	})
}
