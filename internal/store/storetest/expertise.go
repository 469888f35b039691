package storetest

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store"
)

// testExpertise checks Project.Expertise: it round-trips through Project
// with each author's person once people are merged, a rescan without it
// removes it, and ListProjects never returns it.
func testExpertise(t *testing.T, s store.Store) {
	ctx := context.Background()
	ann := catalog.Identity{Name: "Ann Ö'Brien", Email: "ann@example.com"}
	bob := catalog.Identity{Name: "Bob; DROP TABLE projects", Email: "bob@example.com"}
	e := &catalog.Expertise{
		Files: 40, TruckFactor: 2, KeyPeople: []catalog.Identity{ann, bob}, AbsenceFactor: 1,
		Authors: []catalog.Author{
			{Identity: ann, Files: 30, Share: 0.75, LastChange: t0},
			{Identity: bob, Files: 12, Share: 0.3},
		},
		Dirs: []catalog.DirAuthorship{
			{Dir: "cmd/tool", Files: 25, Authors: []catalog.Author{{Identity: ann, Files: 25, Share: 1, LastChange: t0}}},
			{Dir: "", Files: 15, Authors: []catalog.Author{{Identity: bob, Files: 12, Share: 0.8}, {Identity: ann, Files: 5, Share: 1.0 / 3}}},
		},
	}
	p := project("github.com/org/expertise", "expertise", 1)
	p.Expertise = e
	id := replace(t, s, p)
	if diff := cmp.Diff(stored(p, id), *get(t, s, p.Key), opts); diff != "" {
		t.Errorf("Project with expertise (-want +got):\n%s", diff)
	}

	// Once people are merged, each author carries the person its e-mail is.
	people := []catalog.Person{{ID: "ann", Name: ann.Name, Email: ann.Email, Identities: []catalog.Identity{ann}}}
	if err := s.ReplacePeople(ctx, people); err != nil {
		t.Fatal(err)
	}
	got := get(t, s, p.Key).Expertise
	if got == nil || len(got.Authors) != 2 || got.Authors[0].PersonID != "ann" || got.Authors[1].PersonID != "" {
		t.Errorf("authors after ReplacePeople = %+v, want ann's person on the first only", got)
	}

	// ProjectAuthors reads the same authors for many projects at once.
	other := project("github.com/org/other", "other", 4)
	other.Expertise = &catalog.Expertise{Files: 1, TruckFactor: 1, Authors: []catalog.Author{{Identity: bob, Files: 1, Share: 1}}}
	otherID := replace(t, s, other)
	byProject, err := s.ProjectAuthors(ctx, []int64{otherID, id, id, 99999}, 0)
	if err != nil {
		t.Fatal(err)
	}
	wantAuthors := map[int64][]catalog.Author{id: got.Authors, otherID: other.Expertise.Authors}
	if diff := cmp.Diff(wantAuthors, byProject, opts); diff != "" {
		t.Errorf("ProjectAuthors (-want +got):\n%s", diff)
	}
	top, err := s.ProjectAuthors(ctx, []int64{id, otherID}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[int64][]catalog.Author{id: got.Authors[:1], otherID: other.Expertise.Authors}, top, opts); diff != "" {
		t.Errorf("ProjectAuthors(1 per project) (-want +got):\n%s", diff)
	}
	if none, err := s.ProjectAuthors(ctx, nil, 0); err != nil || len(none) != 0 {
		t.Errorf("ProjectAuthors(nil) = %v, %v; want empty", none, err)
	}

	ps, err := s.ListProjects(ctx, store.ProjectFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 2 {
		t.Errorf("ListProjects: %d projects, want 2", len(ps))
	}
	for _, lp := range ps {
		if lp.Expertise != nil {
			t.Errorf("ListProjects returned the expertise of %s", lp.Key)
		}
	}

	// A rescan without it (the history could not be read) removes it.
	p2 := project(p.Key, p.Name, 2)
	replace(t, s, p2)
	if got := get(t, s, p.Key); got.Expertise != nil {
		t.Errorf("expertise kept after a rescan without it: %+v", got.Expertise)
	}
	// An empty expertise (no file to judge by) is kept as such.
	p3 := project(p.Key, p.Name, 3)
	p3.Expertise = &catalog.Expertise{AbsenceFactor: 1}
	replace(t, s, p3)
	if diff := cmp.Diff(stored(p3, id), *get(t, s, p.Key), opts); diff != "" {
		t.Errorf("Project with empty expertise (-want +got):\n%s", diff)
	}
}
