package estate_test

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/estategen"
	"github.com/ospo-project/ospo/internal/hub/estate"
	"github.com/ospo-project/ospo/internal/recommend"
	"github.com/ospo-project/ospo/internal/store"
	"github.com/ospo-project/ospo/internal/store/teststore"
)

// readCounter is a store that records which projects' dependencies and
// authors were read.
type readCounter struct {
	store.Store
	deps, authors []int64
}

func (r *readCounter) DirectDependencies(ctx context.Context, ids []int64) (map[int64][]catalog.Dependency, error) {
	r.deps = append(r.deps, ids...)
	return r.Store.DirectDependencies(ctx, ids)
}

func (r *readCounter) ProjectAuthors(ctx context.Context, ids []int64, n int) (map[int64][]catalog.Author, error) {
	r.authors = append(r.authors, ids...)
	return r.Store.ProjectAuthors(ctx, ids, n)
}

// TestRecommendInputsIncremental checks that after a rescan changes one
// project only that project's rows are read again, and that the estate
// and the model then equal those of a full read; a touch reads nothing
// again, a change of people everything.
func TestRecommendInputsIncremental(t *testing.T) {
	teststore.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		c := estategen.GenerateCatalogue(estategen.CatalogueOptions{Projects: 40, People: 20, FilesPerProject: 10, Seed: 5})
		ids := make([]int64, len(c.Projects))
		for i := range c.Projects {
			p := c.Projects[i]
			p.ID, p.Path, p.ScannerVersion = 0, "/synthetic/"+p.Name, catalog.ScannerVersion
			id, err := st.ReplaceProject(ctx, &p)
			if err != nil {
				t.Fatal(err)
			}
			ids[i] = id
		}
		if err := st.ReplacePeople(ctx, c.People); err != nil {
			t.Fatal(err)
		}
		if err := st.ReplaceMemberships(ctx, catalog.MemberFile, c.Memberships, nil); err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		rc := &readCounter{Store: st}
		read := func(prev *estate.InputCache) (recommend.Estate, *estate.InputCache) {
			t.Helper()
			rc.deps, rc.authors = nil, nil
			e, next, err := estate.ReadRecommendInputs(ctx, rc, prev, nil, nil, now)
			if err != nil {
				t.Fatal(err)
			}
			slices.Sort(rc.deps)
			slices.Sort(rc.authors)
			if !slices.Equal(rc.deps, next.Reread) || !slices.Equal(rc.authors, next.Reread) {
				t.Fatalf("read dependencies of %v and authors of %v, Reread says %v", rc.deps, rc.authors, next.Reread)
			}
			return e, next
		}
		// same checks that an incremental read equals a full one, estate
		// and model (every person's recommendations).
		same := func(got recommend.Estate) {
			t.Helper()
			want, err := estate.RecommendInputs(ctx, st, nil, nil, now)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Fatalf("incremental estate differs from a full read (-full +incremental):\n%s", d)
			}
			wm, gm := recommend.Build(want, now), recommend.Build(got, now)
			for _, p := range want.People {
				w, err := wm.For(p.ID, recommend.Options{})
				if err != nil {
					t.Fatal(err)
				}
				g, err := gm.For(p.ID, recommend.Options{})
				if err != nil {
					t.Fatal(err)
				}
				if d := cmp.Diff(w, g); d != "" {
					t.Fatalf("%s: recommendations differ (-full +incremental):\n%s", p.ID, d)
				}
			}
		}

		_, cache := read(nil)
		if len(cache.Reread) != len(ids) {
			t.Fatalf("first read: %d projects read, want all %d", len(cache.Reread), len(ids))
		}

		// A rescan changes one project: another stack, another author.
		p, err := st.Project(ctx, strconv.FormatInt(ids[3], 10))
		if err != nil {
			t.Fatal(err)
		}
		p.Dependencies = append(p.Dependencies[:0:0], catalog.Dependency{Ecosystem: "Go", Name: "github.com/new/thing",
			Version: "v1.0.0", PURL: "pkg:golang/github.com/new/thing@v1.0.0", Direct: true, Manifest: "go.mod"})
		if p.Expertise != nil && len(p.Expertise.Authors) > 1 {
			p.Expertise.Authors = p.Expertise.Authors[1:]
		}
		if _, err := st.ReplaceProject(ctx, p); err != nil {
			t.Fatal(err)
		}
		e, cache := read(cache)
		if want := []int64{ids[3]}; !slices.Equal(cache.Reread, want) {
			t.Fatalf("after one project changed, read %v again, want %v", cache.Reread, want)
		}
		same(e)
		if i := slices.IndexFunc(e.Projects, func(x recommend.Project) bool { return x.ID == ids[3] }); i < 0 ||
			!slices.ContainsFunc(e.Projects[i].Techs, func(x recommend.Tech) bool { return x.Name == "github.com/new/thing" }) {
			t.Fatalf("the changed project's new dependency is not in the estate")
		}

		// A touch (seen unchanged) reads nothing again.
		if err := st.TouchProject(ctx, p.Key, now); err != nil {
			t.Fatal(err)
		}
		e, cache = read(cache)
		if len(cache.Reread) != 0 {
			t.Fatalf("after a touch, read %v again, want none", cache.Reread)
		}
		same(e)

		// People merged differently: authors may belong to others, all are read.
		people := slices.Clone(c.People)
		people[0].Identities = append(slices.Clone(people[0].Identities), people[1].Identities...)
		people = slices.Delete(people, 1, 2)
		if err := st.ReplacePeople(ctx, people); err != nil {
			t.Fatal(err)
		}
		e, cache = read(cache)
		if len(cache.Reread) != len(ids) {
			t.Fatalf("after people changed, %d projects read, want all %d", len(cache.Reread), len(ids))
		}
		same(e)
	})
}
