package storetest

import (
	"context"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store"
)

// incrementalTests cover the reads by which a reader that keeps what it
// derived from the catalogue (the hub's estate snapshot) re-reads only
// what changed: projects by ID, per-package and per-project counts.
var incrementalTests = []namedTest{
	{"ListProjects/IDs", testListProjectsByID},
	{"Technologies/ByKey", testPackageTechnologies},
	{"Licenses/Counts", testLicenseCounts},
}

func testListProjectsByID(t *testing.T, s store.Store) {
	ctx := context.Background()
	var ids []int64
	for i, name := range []string{"delta", "alpha", "charlie", "bravo"} {
		ids = append(ids, replace(t, s, withLicenses(project("github.com/org/"+name, name, i+1), "MIT", i%2 == 0)))
	}
	all, err := s.ListProjects(ctx, store.ProjectFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		f    store.ProjectFilter
		want []string
	}{
		{store.ProjectFilter{IDs: []int64{ids[0], ids[1], 4242, ids[0]}}, []string{"alpha", "delta"}},
		{store.ProjectFilter{IDs: ids}, []string{"alpha", "bravo", "charlie", "delta"}},
		{store.ProjectFilter{IDs: ids, Limit: 2, Offset: 1}, []string{"bravo", "charlie"}},
		{store.ProjectFilter{IDs: ids, Query: "char"}, []string{"charlie"}},
		{store.ProjectFilter{IDs: []int64{}}, nil},
		{store.ProjectFilter{IDs: []int64{4242}}, nil},
	} {
		got, err := s.ListProjects(ctx, tc.f)
		if err != nil {
			t.Fatalf("ListProjects(%+v): %v", tc.f, err)
		}
		var want []catalog.Project
		for _, name := range tc.want {
			i := slices.IndexFunc(all, func(p catalog.Project) bool { return p.Name == name })
			want = append(want, all[i])
		}
		// Exactly as the whole list reads them, revision included.
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("ListProjects(%+v) (-want +got):\n%s", tc.f, diff)
		}
	}
}

func testPackageTechnologies(t *testing.T, s store.Store) {
	ctx := context.Background()
	_, ids := usageEstate(t, s)
	check := func(when string) {
		t.Helper()
		list, err := s.Technologies(ctx, store.TechnologyFilter{Kind: "package"})
		if err != nil {
			t.Fatal(err)
		}
		byKey, err := s.PackageTechnologies(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		counts, err := s.PackageCounts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var got []catalog.Technology
		for k, tc := range byKey {
			got = append(got, tc)
			if counts[k] != tc.Projects {
				t.Errorf("%s: PackageCounts[%v] = %d, PackageTechnologies says %d projects", when, k, counts[k], tc.Projects)
			}
		}
		if len(counts) != len(byKey) {
			t.Errorf("%s: %d package counts, %d packages", when, len(counts), len(byKey))
		}
		byID := func(a, b catalog.Technology) int {
			if a.ID != b.ID {
				if a.ID < b.ID {
					return -1
				}
				return 1
			}
			return 0
		}
		slices.SortFunc(got, byID)
		want := slices.Clone(list)
		slices.SortFunc(want, byID)
		if diff := cmp.Diff(want, got, opts); diff != "" {
			t.Errorf("%s: PackageTechnologies(nil) against Technologies (-want +got):\n%s", when, diff)
		}
		// Some keys: the packages of the first two projects still stored.
		used, err := s.PackagesUsed(ctx, append(slices.Clone(ids[:2]), 4242))
		if err != nil {
			t.Fatal(err)
		}
		some, err := s.PackageTechnologies(ctx, append(slices.Clone(used), store.PackageKey{Ecosystem: "npm", Name: "no-such-package"}))
		if err != nil {
			t.Fatal(err)
		}
		if len(some) != len(used) {
			t.Errorf("%s: PackageTechnologies of the %d packages used = %d", when, len(used), len(some))
		}
		for _, k := range used {
			if w, ok := byKey[k]; !ok || !cmp.Equal(w, some[k]) {
				t.Errorf("%s: PackageTechnologies(%v) = %+v, want %+v", when, k, some[k], w)
			}
		}
	}
	check("estate")
	if len(ids) < 3 {
		t.Fatalf("usage estate of %d projects", len(ids))
	}
	used, err := s.PackagesUsed(ctx, ids[:1])
	if err != nil || len(used) == 0 {
		t.Fatalf("PackagesUsed(first project) = %v, %v", used, err)
	}
	all, err := s.ListProjects(ctx, store.ProjectFilter{IDs: ids[:1]})
	if err != nil || len(all) != 1 {
		t.Fatal(all, err)
	}
	if err := s.DeleteProject(ctx, all[0].Key); err != nil {
		t.Fatal(err)
	}
	check("after a deletion")
	if used, err := s.PackagesUsed(ctx, ids[:1]); err != nil || len(used) != 0 {
		t.Errorf("PackagesUsed(deleted project) = %v, %v", used, err)
	}
}

func testLicenseCounts(t *testing.T, s store.Store) {
	ctx := context.Background()
	idA := replace(t, s, withLicenses(project("a", "alpha", 1), "MIT", true))
	idB := replace(t, s, withLicenses(project("b", "beta", 2), "MIT", false))
	replace(t, s, withLicenses(project("c", "gamma", 3), "Apache-2.0", true))
	idD := replace(t, s, project("d", "delta", 4))
	names := map[int64]store.ProjectName{}
	ps, err := s.ListProjects(ctx, store.ProjectFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		names[p.ID] = store.ProjectName{Name: p.Name, Key: p.Key}
	}
	counts, err := s.LicenseCounts(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := s.LicenseSummary(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(sum, store.SumLicenses(counts, func(id int64) store.ProjectName { return names[id] })); diff != "" {
		t.Errorf("SumLicenses(LicenseCounts) against LicenseSummary (-want +got):\n%s", diff)
	}
	if _, ok := counts[idD]; ok {
		t.Errorf("LicenseCounts has the project without licence facts: %+v", counts[idD])
	}
	some, err := s.LicenseCounts(ctx, []int64{idA, idB, idD, 4242})
	if err != nil {
		t.Fatal(err)
	}
	want := map[int64]store.LicenseCounts{
		idA: {Project: "MIT", Dependencies: []store.NameCount{{Name: "GPL-3.0-only", N: 1}, {Name: "MIT", N: 1}, {Name: "unknown", N: 1}},
			Categories: []store.NameCount{{Name: "permissive", N: 1}, {Name: "strong-copyleft", N: 1}, {Name: "unknown", N: 1}}, Violations: 1},
		idB: {Project: "MIT", Dependencies: []store.NameCount{{Name: "MIT", N: 1}, {Name: "unknown", N: 1}},
			Categories: []store.NameCount{{Name: "permissive", N: 1}, {Name: "unknown", N: 1}}},
	}
	if diff := cmp.Diff(want, some); diff != "" {
		t.Errorf("LicenseCounts(a, b, d, unknown) (-want +got):\n%s", diff)
	}
}
