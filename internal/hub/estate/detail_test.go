package estate

import (
	"context"
	"slices"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store"
)

// TestPackageProjectsNamedFromSnapshot checks that a package's page lists
// the projects using it as the store does (store.PackageProjects: by name,
// then key), their names taken from the snapshot, and that a project newer
// than the snapshot is listed too (named by the store).
func TestPackageProjectsNamedFromSnapshot(t *testing.T) {
	ctx := context.Background()
	st := tempStore(ctx, t)
	add := func(key, name string, deps ...string) {
		t.Helper()
		p := &catalog.Project{Key: key, Name: name, Path: "/src/" + key, ScannerVersion: catalog.ScannerVersion}
		for _, d := range deps {
			p.Dependencies = append(p.Dependencies, catalog.Dependency{PURL: "pkg:npm/" + d, Ecosystem: "npm", Name: d[:len(d)-len("@1.0.0")],
				Version: "1.0.0", Direct: true, Manifest: "package-lock.json"})
		}
		if _, err := st.ReplaceProject(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	// Written in an order that is neither by name nor by key.
	add("github.com/z/web", "web", "lodash@1.0.0")
	add("github.com/a/web", "web", "lodash@1.0.0", "left-pad@1.0.0")
	add("github.com/m/api", "api", "lodash@1.0.0")
	add("github.com/m/cli", "cli", "left-pad@1.0.0")
	c := New(st, time.Hour)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c.now = func() time.Time { return now }
	check := func(what string, want int) {
		t.Helper()
		v, err := c.Technology(ctx, "pkg:npm/lodash")
		if err != nil {
			t.Fatal(err)
		}
		us, err := st.PackageProjects(ctx, store.UsageFilter{Package: "pkg:npm/lodash", Limit: maxUsers})
		if err != nil {
			t.Fatal(err)
		}
		var fromStore []ProjectRef
		for _, u := range us {
			fromStore = append(fromStore, ProjectRef{ID: u.ProjectID, Name: u.Project, Key: u.ProjectKey, Versions: u.Versions, Direct: u.Direct})
		}
		if diff := gocmp.Diff(fromStore, v.Projects); diff != "" || len(v.Projects) != want {
			t.Errorf("%s: projects using lodash (-store +view), want %d:\n%s", what, want, diff)
		}
	}
	check("from the snapshot", 3)
	snap, err := c.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	add("github.com/b/new", "new", "lodash@1.0.0")
	if e, _ := c.Snapshot(ctx); e != snap {
		t.Fatal("the snapshot was rebuilt within its TTL")
	}
	check("a project newer than the snapshot", 4)
}

// TestPersonDependenciesFromModelInputs checks that a person's page counts
// the direct dependencies of their projects alike whether it reads them
// from the store or from what the recommendation model read (at the
// snapshot's revision of each project), and that a project rewritten
// since shows its new dependencies once the snapshot has its new revision.
func TestPersonDependenciesFromModelInputs(t *testing.T) {
	ctx := context.Background()
	st := tempStore(ctx, t)
	dev := catalog.Identity{Name: "Dev", Email: "dev@example.com"}
	add := func(key string, commits int, deps ...string) {
		t.Helper()
		p := &catalog.Project{Key: key, Name: key, Path: "/src/" + key, ScannerVersion: catalog.ScannerVersion,
			Languages:    []catalog.Language{{Name: "Go", Bytes: 10, Files: 1}},
			Contributors: []catalog.Contribution{{Identity: dev, Commits: commits}}}
		for i, d := range deps {
			p.Dependencies = append(p.Dependencies, catalog.Dependency{PURL: "pkg:npm/" + d + "@1.0.0", Ecosystem: "npm", Name: d,
				Version: "1.0.0", Direct: i < 2, Manifest: "package-lock.json"})
		}
		if _, err := st.ReplaceProject(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	add("a", 5, "lodash", "left-pad", "indirect-a")
	add("b", 3, "react", "lodash")
	if err := st.ReplacePeople(ctx, []catalog.Person{{ID: "dev", Name: dev.Name, Email: dev.Email, Identities: []catalog.Identity{dev}}}); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := New(st, time.Hour)
	c.now = func() time.Time { return now }
	packages := func(what string) []Evidence {
		t.Helper()
		v, err := c.Person(ctx, "dev")
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return slices.DeleteFunc(slices.Clone(v.Technologies), func(e Evidence) bool { return e.Kind != "package" })
	}
	fromStore := packages("before the model")
	want := []Evidence{
		{Kind: "package", ID: "pkg:npm/lodash", Name: "lodash", Ecosystem: "npm", Projects: 2, Commits: 8},
		{Kind: "package", ID: "pkg:npm/left-pad", Name: "left-pad", Ecosystem: "npm", Projects: 1, Commits: 5},
		{Kind: "package", ID: "pkg:npm/react", Name: "react", Ecosystem: "npm", Projects: 1, Commits: 3},
	}
	if diff := gocmp.Diff(want, fromStore); diff != "" {
		t.Errorf("read from the store (-want +got):\n%s", diff)
	}
	if m, err := c.Recommender(ctx); err != nil || m == nil {
		t.Fatalf("model: %v, %v", m, err)
	}
	c.mu.Lock()
	held := c.inputs != nil && len(c.inputs.projects) == 2
	c.mu.Unlock()
	if !held {
		t.Fatal("the model's inputs hold no dependencies")
	}
	if diff := gocmp.Diff(want, packages("from the model's inputs")); diff != "" {
		t.Errorf("from the model's inputs (-want +got):\n%s", diff)
	}
	// b rewritten: the page shows what the snapshot knew of it...
	add("b", 3, "vue", "lodash")
	if diff := gocmp.Diff(want, packages("b rewritten")); diff != "" {
		t.Errorf("b rewritten, the snapshot not yet (-want +got):\n%s", diff)
	}
	// ...until the snapshot has b's new revision (the model not rebuilt).
	now = now.Add(2 * time.Hour)
	if _, err := c.Snapshot(ctx); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(30 * time.Second); ; {
		c.mu.Lock()
		busy := c.rebuilding
		c.mu.Unlock()
		if !busy {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the snapshot's refresh did not finish")
		}
		time.Sleep(time.Millisecond)
	}
	want[2] = Evidence{Kind: "package", ID: "pkg:npm/vue", Name: "vue", Ecosystem: "npm", Projects: 1, Commits: 3}
	if diff := gocmp.Diff(want, packages("snapshot refreshed")); diff != "" {
		t.Errorf("b rewritten, the snapshot refreshed (-want +got):\n%s", diff)
	}
}
