package estate

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store"
	"github.com/ospo-project/ospo/internal/store/sqlite"
)

// TestPackageProjectsNamedFromSnapshot checks that a package's page lists
// the projects using it as the store does (store.PackageProjects: by name,
// then key), their names taken from the snapshot, and that a project newer
// than the snapshot is listed too (named by the store).
func TestPackageProjectsNamedFromSnapshot(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "ospo.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
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
