package storetest

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store"
)

// dependencies returns the dependencies project(…, seed) has: every field
// set somewhere, not in the order they are read back.
func dependencies(seed int) []catalog.Dependency {
	log4j := fmt.Sprintf("2.%d.0", 10+seed)
	return []catalog.Dependency{
		{
			PURL: "pkg:npm/lodash@4.17.21", Ecosystem: "npm", Name: "lodash", Version: "4.17.21",
			Scope: catalog.ScopeRuntime, Manifest: "web/package-lock.json", Licenses: []string{"MIT"},
			Hashes: []catalog.Hash{{Algorithm: "sha512", Value: "v2kDEe57lecTulaDIuNTPy3Ry4gLGJ6Z1O3vE1krgXZNrsQ+LFTGHVxVjcXPs17LhbZVGedAJv8XZ1tvj5FvSg=="}},
		},
		{
			PURL:      "pkg:maven/org.apache.logging.log4j/log4j-core@" + log4j,
			Ecosystem: "Maven", Name: "org.apache.logging.log4j:log4j-core", Version: log4j,
			Direct: true, Scope: catalog.ScopeRuntime, Manifest: "pom.xml", Licenses: []string{"Apache-2.0"},
			Hashes:    []catalog.Hash{{Algorithm: "sha1", Value: fmt.Sprintf("%040x", seed)}, {Algorithm: "sha256", Value: fmt.Sprintf("%064x", seed)}},
			DependsOn: []string{"pkg:maven/org.apache.logging.log4j/log4j-api@" + log4j},
		},
		{
			PURL: "pkg:maven/org.apache.logging.log4j/log4j-api@" + log4j, Ecosystem: "Maven",
			Name: "org.apache.logging.log4j:log4j-api", Version: log4j, Manifest: "pom.xml",
		},
		{
			PURL: "pkg:npm/%40angular/core", Ecosystem: "npm", Name: "@angular/core", Version: "^17.0.0",
			Constraint: true, Direct: true, Scope: catalog.ScopeDev, Manifest: "web/package.json",
			Licenses: []string{"MIT", "(MIT OR Apache-2.0)"},
		},
		{
			PURL: "pkg:golang/github.com/spf13/cobra@v1.8.0", Ecosystem: "Go", Name: "github.com/spf13/cobra",
			Version: "v1.8.0", Direct: true, Manifest: "go.mod",
			Hashes:    []catalog.Hash{{Algorithm: "h1", Value: "7aJaZx1B85qltLMc546zn58BxxfZdR/W22ej9CFoEf0="}},
			DependsOn: []string{"pkg:golang/github.com/spf13/pflag@v1.0.5", "pkg:golang/github.com/inconshreveable/mousetrap@v1.1.0"},
		},
	}
}

// sortDependencies returns a copy of ds in the order the store reads
// dependencies back: direct ones first, then by manifest, name and version,
// then as given.
func sortDependencies(ds []catalog.Dependency) []catalog.Dependency {
	if ds == nil {
		return nil
	}
	out := append([]catalog.Dependency(nil), ds...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := &out[i], &out[j]
		if a.Direct != b.Direct {
			return a.Direct
		}
		if a.Manifest != b.Manifest {
			return a.Manifest < b.Manifest
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.Version < b.Version
	})
	return out
}

func testDependencies(t *testing.T, s store.Store) {
	ctx := context.Background()
	p := project("github.com/org/alpha", "alpha", 1)
	// The same package twice in one manifest, and in another manifest.
	p.Dependencies = append(p.Dependencies,
		catalog.Dependency{PURL: "pkg:npm/lodash@3.10.1", Ecosystem: "npm", Name: "lodash", Version: "3.10.1", Manifest: "web/package-lock.json"},
		catalog.Dependency{PURL: "pkg:npm/lodash@4.17.21", Ecosystem: "npm", Name: "lodash", Version: "4.17.21", Manifest: "admin/package-lock.json"},
		catalog.Dependency{Ecosystem: "RubyGems", Name: "rails", Version: "7.1.0", Manifest: "Gemfile.lock", Direct: true}, // no PURL
		catalog.Dependency{PURL: "pkg:cargo/rand@0.8.5", Version: "0.8.5", Manifest: "Cargo.lock"},                         // only a PURL
	)
	id := replace(t, s, p)
	got := get(t, s, p.Key)
	if diff := cmp.Diff(stored(p, id), *got, opts); diff != "" {
		t.Errorf("Project round trip (-want +got):\n%s", diff)
	}
	var order []string
	for _, d := range got.Dependencies {
		order = append(order, fmt.Sprintf("%v %s %s %s", d.Direct, d.Manifest, d.Name, d.Version))
	}
	wantOrder := []string{
		"true Gemfile.lock rails 7.1.0",
		"true go.mod github.com/spf13/cobra v1.8.0",
		"true pom.xml org.apache.logging.log4j:log4j-core 2.11.0",
		"true web/package.json @angular/core ^17.0.0",
		"false Cargo.lock  0.8.5",
		"false admin/package-lock.json lodash 4.17.21",
		"false pom.xml org.apache.logging.log4j:log4j-api 2.11.0",
		"false web/package-lock.json lodash 3.10.1",
		"false web/package-lock.json lodash 4.17.21",
	}
	if diff := cmp.Diff(wantOrder, order); diff != "" {
		t.Errorf("dependency order (-want +got):\n%s", diff)
	}

	// ListProjects leaves dependencies out.
	ps, err := s.ListProjects(ctx, store.ProjectFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 1 || ps[0].Dependencies != nil {
		t.Errorf("ListProjects = %d projects, first with %d dependencies; want 1 without", len(ps), len(ps[0].Dependencies))
	}

	// Replacing the project replaces its dependencies everywhere.
	other := project("github.com/org/beta", "beta", 2)
	otherID := replace(t, s, other)
	p2 := project(p.Key, p.Name, 3)
	p2.Dependencies = []catalog.Dependency{{PURL: "pkg:pypi/requests@2.31.0", Ecosystem: "PyPI", Name: "requests", Version: "2.31.0", Manifest: "requirements.txt", Direct: true}}
	replace(t, s, p2)
	if diff := cmp.Diff(stored(p2, id), *get(t, s, p.Key), opts); diff != "" {
		t.Errorf("Project after replace (-want +got):\n%s", diff)
	}
	for _, pkg := range []string{"lodash", "rails", "pkg:cargo/rand", "org.apache.logging.log4j:log4j-core"} {
		us, err := s.WhoUses(ctx, store.UsageFilter{Package: pkg})
		if err != nil {
			t.Fatalf("WhoUses(%s): %v", pkg, err)
		}
		for _, u := range us {
			if u.ProjectID == id {
				t.Errorf("WhoUses(%s) still finds the replaced dependency %s of %s", pkg, u.PURL, u.Manifest)
			}
		}
	}
	if diff := cmp.Diff(stored(other, otherID), *get(t, s, other.Key), opts); diff != "" {
		t.Errorf("other project after replace (-want +got):\n%s", diff)
	}

	// A project replaced without dependencies has none, and a deleted one
	// leaves none behind.
	p2.Dependencies = nil
	replace(t, s, p2)
	if got := get(t, s, p.Key); got.Dependencies != nil {
		t.Errorf("Project replaced without dependencies has %d", len(got.Dependencies))
	}
	if err := s.DeleteProject(ctx, other.Key); err != nil {
		t.Fatal(err)
	}
	if us, err := s.WhoUses(ctx, store.UsageFilter{Package: "lodash"}); err != nil || len(us) != 0 {
		t.Errorf("WhoUses(lodash) after delete = %d uses, %v; want none", len(us), err)
	}
}

func testDependencyStrings(t *testing.T, s store.Store) {
	nasty := "nul\x00byte, bad \xff\xfe utf-8, ünïcødé 日本語 🚀, quote ' \" back\\slash, 100%_like"
	clean := "nul\uFFFDbyte, bad \uFFFD utf-8, ünïcødé 日本語 🚀, quote ' \" back\\slash, 100%_like"
	p := project("github.com/org/strings", "strings", 1)
	d := catalog.Dependency{
		PURL: "pkg:npm/x@" + nasty, Ecosystem: nasty, Name: nasty, Version: nasty, Scope: nasty, Manifest: nasty,
		Licenses: []string{nasty}, Hashes: []catalog.Hash{{Algorithm: nasty, Value: nasty}}, DependsOn: []string{nasty},
	}
	p.Dependencies = []catalog.Dependency{d}
	id := replace(t, s, p)
	want := stored(p, id)
	want.Dependencies = []catalog.Dependency{{
		PURL: "pkg:npm/x@" + clean, Ecosystem: clean, Name: clean, Version: clean, Scope: clean, Manifest: clean,
		Licenses: []string{clean}, Hashes: []catalog.Hash{{Algorithm: clean, Value: clean}}, DependsOn: []string{clean},
	}}
	if diff := cmp.Diff(want, *get(t, s, p.Key), opts); diff != "" {
		t.Errorf("Project (-want +got):\n%s", diff)
	}
	for _, f := range []store.UsageFilter{{Package: nasty}, {Package: strings.ToUpper(clean)}, {Package: clean, Ecosystem: nasty}} {
		us, err := s.WhoUses(context.Background(), f)
		if err != nil || len(us) != 1 || us[0].Name != clean {
			t.Errorf("WhoUses(%q, %q) = %+v, %v; want the dependency", f.Package, f.Ecosystem, us, err)
		}
	}
}

// testDependencyEncodedNUL: a package URL may encode what a text column
// cannot hold (%00 decodes to NUL, which PostgreSQL refuses): a dependency
// known by such a URL alone is saved, and looking a package up by one
// answers like any other lookup.
func testDependencyEncodedNUL(t *testing.T, s store.Store) {
	ctx := context.Background()
	p := project("github.com/org/encoded", "encoded", 1)
	p.Dependencies = []catalog.Dependency{
		{PURL: "pkg:npm/nul%00only@1.0.0", Version: "1.0.0"},
		{PURL: "pkg:npm/nul%00dep@1.0.0", Ecosystem: "npm", Name: "nul\x00dep", Version: "1.0.0"},
	}
	id := replace(t, s, p)
	for _, pkg := range []string{"pkg:npm/nul%00only", "pkg:npm/nul%00dep", "pkg:npm/%00"} {
		us, err := s.PackageProjects(ctx, store.UsageFilter{Package: pkg})
		if err != nil {
			t.Errorf("PackageProjects(%q): %v", pkg, err)
			continue
		}
		if want := pkg != "pkg:npm/%00"; want != (len(us) == 1 && us[0].ProjectID == id) {
			t.Errorf("PackageProjects(%q) = %+v, want the project: %v", pkg, us, want)
		}
		if _, err := s.WhoUses(ctx, store.UsageFilter{Package: pkg}); err != nil {
			t.Errorf("WhoUses(%q): %v", pkg, err)
		}
	}
}

func testDependenciesLarge(t *testing.T, s store.Store) {
	ctx := context.Background()
	const n = 20000
	p := project("github.com/org/monorepo", "monorepo", 1)
	p.Dependencies = make([]catalog.Dependency, n)
	for i := range p.Dependencies {
		name := fmt.Sprintf("package-%05d", i)
		version := fmt.Sprintf("1.%d.%d", i%7, i%13)
		d := catalog.Dependency{
			PURL: "pkg:npm/" + name + "@" + version, Ecosystem: "npm", Name: name, Version: version,
			Direct: i%10 == 0, Scope: catalog.ScopeRuntime, Manifest: fmt.Sprintf("app%d/package-lock.json", i%4),
			Licenses: []string{"MIT"},
			Hashes:   []catalog.Hash{{Algorithm: "sha512", Value: fmt.Sprintf("%086x==", i)}},
		}
		if i > 0 {
			d.DependsOn = []string{p.Dependencies[i-1].PURL}
		}
		p.Dependencies[i] = d
	}
	start := time.Now()
	id := replace(t, s, p)
	saved := time.Since(start)
	start = time.Now()
	replace(t, s, p)
	resaved := time.Since(start)
	start = time.Now()
	got := get(t, s, p.Key)
	read := time.Since(start)
	start = time.Now()
	us, err := s.WhoUses(ctx, store.UsageFilter{Package: "package-12345"})
	who := time.Since(start)
	t.Logf("%d dependencies: saved in %v, replaced in %v, read in %v, one found in %v",
		n, saved.Round(time.Millisecond), resaved.Round(time.Millisecond), read.Round(time.Millisecond), who.Round(time.Microsecond))
	if diff := cmp.Diff(stored(p, id), *got, opts); diff != "" {
		t.Errorf("large project round trip (-want +got):\n%s", diff)
	}
	if err != nil || len(us) != 1 || us[0].PURL != "pkg:npm/package-12345@1.4.8" {
		t.Errorf("WhoUses(package-12345) = %+v, %v", us, err)
	}
}

// usageEstate stores three projects whose dependencies exercise how each
// ecosystem compares names, and returns them with their IDs.
func usageEstate(t *testing.T, s store.Store) (ps []*catalog.Project, ids []int64) {
	t.Helper()
	ps, _ = usageEstateProjects()
	for _, p := range ps {
		ids = append(ids, replace(t, s, p))
	}
	return ps, ids
}

// usageEstateProjects returns the projects of usageEstate.
func usageEstateProjects() (ps []*catalog.Project, _ struct{}) {
	log4j := func(v, manifest string) catalog.Dependency {
		return catalog.Dependency{PURL: "pkg:maven/org.apache.logging.log4j/log4j-core@" + v, Ecosystem: "Maven",
			Name: "org.apache.logging.log4j:log4j-core", Version: v, Direct: true, Manifest: manifest}
	}
	alpha := project("github.com/org/alpha", "alpha", 1)
	alpha.Dependencies = []catalog.Dependency{
		log4j("2.14.1", "pom.xml"),
		{PURL: "pkg:maven/org.apache.logging.log4j/log4j-api@2.14.1", Ecosystem: "Maven", Name: "org.apache.logging.log4j:log4j-api", Version: "2.14.1", Manifest: "pom.xml"},
		{PURL: "pkg:npm/lodash@4.17.20", Ecosystem: "npm", Name: "lodash", Version: "4.17.20", Manifest: "web/package-lock.json"},
		{PURL: "pkg:npm/lodash@4.17.21", Ecosystem: "npm", Name: "lodash", Version: "4.17.21", Manifest: "admin/package-lock.json"},
		{PURL: "pkg:pypi/requests@2.31.0", Ecosystem: "PyPI", Name: "Requests", Version: "2.31.0", Manifest: "requirements.txt"},
	}
	beta := project("github.com/org/beta", "beta", 2)
	beta.Dependencies = []catalog.Dependency{
		log4j("2.17.1", "svc/pom.xml"),
		{PURL: "pkg:golang/github.com/spf13/cobra@v1.8.0", Ecosystem: "Go", Name: "github.com/spf13/cobra", Version: "v1.8.0", Manifest: "go.mod"},
		{PURL: "pkg:pypi/zope.interface@6.0", Ecosystem: "PyPI", Name: "zope.interface", Version: "6.0", Manifest: "poetry.lock"},
		{PURL: "pkg:npm/%40angular/core", Ecosystem: "npm", Name: "@angular/core", Version: "^17.0.0", Constraint: true, Manifest: "package.json"},
		{PURL: "pkg:cargo/serde_json@1.0.100", Ecosystem: "crates.io", Name: "serde_json", Version: "1.0.100", Manifest: "Cargo.lock"},
		{Ecosystem: "RubyGems", Name: "Rails", Version: "7.1.0", Manifest: "Gemfile.lock"},
	}
	gamma := project("github.com/org/gamma", "gamma", 3)
	gamma.Dependencies = []catalog.Dependency{
		{PURL: "pkg:npm/log4j-core@1.0.0", Ecosystem: "npm", Name: "log4j-core", Version: "1.0.0", Manifest: "package-lock.json"},
		{PURL: "pkg:pypi/python-dateutil@2.8.2", Ecosystem: "PyPI", Name: "python_dateutil", Version: "2.8.2", Manifest: "requirements.txt"},
		{PURL: "pkg:npm/python-dateutil@0.0.1", Ecosystem: "npm", Name: "python-dateutil", Version: "0.0.1", Manifest: "package-lock.json"},
		{PURL: "pkg:cargo/rand@0.8.5", Version: "0.8.5", Manifest: "Cargo.lock"},
		{PURL: "pkg:generic/openssl@3.0.0", Name: "openssl", Version: "3.0.0", Manifest: "vendor.txt"},
	}
	return []*catalog.Project{alpha, beta, gamma}, struct{}{}
}

func testWhoUses(t *testing.T, s store.Store) {
	ctx := context.Background()
	ps, ids := usageEstate(t, s)
	// use names a project (0 alpha, 1 beta, 2 gamma) and the index of one of
	// its dependencies as usageEstate lists them.
	type use struct{ project, dep int }
	tests := []struct {
		f    store.UsageFilter
		want []use
	}{
		{store.UsageFilter{Package: "pkg:maven/org.apache.logging.log4j/log4j-core"}, []use{{0, 0}, {1, 0}}},
		{store.UsageFilter{Package: "PKG:maven/org.apache.logging.log4j/log4j-core"}, []use{{0, 0}, {1, 0}}},
		{store.UsageFilter{Package: "org.apache.logging.log4j:log4j-core"}, []use{{0, 0}, {1, 0}}},
		{store.UsageFilter{Package: "ORG.Apache.Logging.Log4j:LOG4J-Core"}, []use{{0, 0}, {1, 0}}},
		{store.UsageFilter{Package: "log4j-core"}, []use{{0, 0}, {1, 0}, {2, 0}}}, // Maven artifacts and the npm package
		{store.UsageFilter{Package: "log4j-core", Ecosystem: "maven"}, []use{{0, 0}, {1, 0}}},
		{store.UsageFilter{Package: "log4j-core", Ecosystem: "npm"}, []use{{2, 0}}},
		{store.UsageFilter{Package: "log4j-core", Ecosystem: "PyPI"}, nil},
		{store.UsageFilter{Package: "pkg:maven/org.apache.logging.log4j/log4j-core", Ecosystem: "npm"}, nil},
		{store.UsageFilter{Package: "log4j-core", Limit: 1}, []use{{0, 0}}},
		{store.UsageFilter{Package: "log4j"}, nil},                            // names, not substrings
		{store.UsageFilter{Package: "pkg:npm/lodash"}, []use{{0, 3}, {0, 2}}}, // by manifest
		{store.UsageFilter{Package: "lodash"}, []use{{0, 3}, {0, 2}}},
		{store.UsageFilter{Package: "Lodash", Ecosystem: "NPM"}, []use{{0, 3}, {0, 2}}},
		{store.UsageFilter{Package: "pkg:npm/%40angular/core"}, []use{{1, 3}}},
		{store.UsageFilter{Package: "pkg:npm/@angular/core"}, []use{{1, 3}}},
		{store.UsageFilter{Package: "@angular/core"}, []use{{1, 3}}},
		{store.UsageFilter{Package: "pkg:golang/github.com/spf13/cobra"}, []use{{1, 1}}},
		{store.UsageFilter{Package: "github.com/spf13/cobra"}, []use{{1, 1}}},
		{store.UsageFilter{Package: "github.com/spf13/cobra", Ecosystem: "go"}, []use{{1, 1}}},
		{store.UsageFilter{Package: "requests"}, []use{{0, 4}}},
		{store.UsageFilter{Package: "REQUESTS", Ecosystem: "pypi"}, []use{{0, 4}}},
		{store.UsageFilter{Package: "pkg:pypi/Requests"}, []use{{0, 4}}},
		{store.UsageFilter{Package: "zope.interface"}, []use{{1, 2}}},
		{store.UsageFilter{Package: "Zope_Interface"}, []use{{1, 2}}},
		{store.UsageFilter{Package: "zope--interface", Ecosystem: "PyPI"}, []use{{1, 2}}},
		{store.UsageFilter{Package: "pkg:pypi/zope-interface"}, []use{{1, 2}}},
		{store.UsageFilter{Package: "python_dateutil"}, []use{{2, 1}}}, // PyPI normalises, npm does not
		{store.UsageFilter{Package: "python-dateutil"}, []use{{2, 2}, {2, 1}}},
		{store.UsageFilter{Package: "python.dateutil", Ecosystem: "npm"}, nil},
		{store.UsageFilter{Package: "serde-json"}, []use{{1, 4}}}, // crates.io: '-' and '_' are one
		{store.UsageFilter{Package: "pkg:cargo/serde-json"}, []use{{1, 4}}},
		{store.UsageFilter{Package: "rails", Ecosystem: "rubygems"}, []use{{1, 5}}}, // no PURL
		{store.UsageFilter{Package: "pkg:gem/Rails"}, []use{{1, 5}}},
		{store.UsageFilter{Package: "rand"}, []use{{2, 3}}}, // only a PURL
		{store.UsageFilter{Package: "rand", Ecosystem: "crates.io"}, []use{{2, 3}}},
		{store.UsageFilter{Package: "pkg:generic/openssl"}, []use{{2, 4}}}, // a purl type of no ecosystem
		{store.UsageFilter{Package: "openssl"}, []use{{2, 4}}},
		{store.UsageFilter{Package: "nothing"}, nil},
		{store.UsageFilter{Package: "%"}, nil},
	}
	for _, tt := range tests {
		got, err := s.WhoUses(ctx, tt.f)
		if err != nil {
			t.Errorf("WhoUses(%+v): %v", tt.f, err)
			continue
		}
		var want []catalog.Usage
		for _, u := range tt.want {
			p := ps[u.project]
			want = append(want, catalog.Usage{ProjectID: ids[u.project], Project: p.Name, ProjectKey: p.Key, Dependency: p.Dependencies[u.dep]})
		}
		if diff := cmp.Diff(want, got, opts); diff != "" {
			t.Errorf("WhoUses(%+v) (-want +got):\n%s", tt.f, diff)
		}
		if tt.f.Limit > 0 {
			continue // WhoUses limits rows, PackageProjects projects
		}
		// PackageProjects finds the same projects, one entry each.
		var wantProjects []catalog.ProjectUse
		for _, u := range want {
			if n := len(wantProjects); n > 0 && wantProjects[n-1].ProjectID == u.ProjectID {
				wp := &wantProjects[n-1]
				wp.Direct = wp.Direct || u.Direct
				if !slices.Contains(wp.Versions, u.Version) {
					wp.Versions = append(wp.Versions, u.Version)
					slices.Sort(wp.Versions)
				}
				continue
			}
			wantProjects = append(wantProjects, catalog.ProjectUse{ProjectID: u.ProjectID, Project: u.Project, ProjectKey: u.ProjectKey,
				Versions: []string{u.Version}, Direct: u.Direct})
		}
		gotProjects, err := s.PackageProjects(ctx, tt.f)
		if err != nil {
			t.Errorf("PackageProjects(%+v): %v", tt.f, err)
			continue
		}
		if diff := cmp.Diff(wantProjects, gotProjects); diff != "" {
			t.Errorf("PackageProjects(%+v) (-want +got):\n%s", tt.f, diff)
		}
		// NoNames: the same uses without names, by project ID.
		var wantBare []catalog.ProjectUse
		for _, u := range wantProjects {
			u.Project, u.ProjectKey = "", ""
			wantBare = append(wantBare, u)
		}
		slices.SortFunc(wantBare, func(a, b catalog.ProjectUse) int { return int(a.ProjectID - b.ProjectID) })
		f := tt.f
		f.NoNames = true
		if got, err := s.PackageProjects(ctx, f); err != nil {
			t.Errorf("PackageProjects(%+v): %v", f, err)
		} else if diff := cmp.Diff(wantBare, got); diff != "" {
			t.Errorf("PackageProjects(%+v) (-want +got):\n%s", f, diff)
		}
	}
	// Limit caps projects.
	if got, err := s.PackageProjects(ctx, store.UsageFilter{Package: "log4j-core", Limit: 2}); err != nil || len(got) != 2 || got[0].ProjectID != ids[0] || got[1].ProjectID != ids[1] {
		t.Errorf("PackageProjects(log4j-core, limit 2) = %+v, %v; want alpha and beta", got, err)
	}
}

func testWhoUsesInvalid(t *testing.T, s store.Store) {
	usageEstate(t, s)
	for _, f := range []store.UsageFilter{
		{},
		{Package: "  "},
		{Package: "pkg:npm/lodash@4.17.21"}, // a version: WhoUses matches packages
		{Package: "pkg:"},
		{Package: "pkg:npm"},
	} {
		if us, err := s.WhoUses(context.Background(), f); err == nil {
			t.Errorf("WhoUses(%+v) = %d uses, want an error", f, len(us))
		}
		if ps, err := s.PackageProjects(context.Background(), f); err == nil {
			t.Errorf("PackageProjects(%+v) = %d projects, want an error", f, len(ps))
		}
	}
}

func testTechnologies(t *testing.T, s store.Store) {
	ctx := context.Background()
	usageEstate(t, s) // every project has Go, Python and Shell
	lang := func(name string) catalog.Technology {
		return catalog.Technology{Kind: "language", ID: name, Name: name, Projects: 3}
	}
	pkg := func(id, eco, name string, projects, versions int) catalog.Technology {
		return catalog.Technology{Kind: "package", ID: id, Ecosystem: eco, Name: name, Projects: projects, Versions: versions}
	}
	var (
		golang, python, shell = lang("Go"), lang("Python"), lang("Shell")
		log4jCore             = pkg("pkg:maven/org.apache.logging.log4j/log4j-core", "Maven", "org.apache.logging.log4j:log4j-core", 2, 2)
		angular               = pkg("pkg:npm/%40angular/core", "npm", "@angular/core", 1, 1)
		cobra                 = pkg("pkg:golang/github.com/spf13/cobra", "Go", "github.com/spf13/cobra", 1, 1)
		lodash                = pkg("pkg:npm/lodash", "npm", "lodash", 1, 2)
		npmLog4j              = pkg("pkg:npm/log4j-core", "npm", "log4j-core", 1, 1)
		openssl               = pkg("pkg:generic/openssl", "", "openssl", 1, 1)
		log4jAPI              = pkg("pkg:maven/org.apache.logging.log4j/log4j-api", "Maven", "org.apache.logging.log4j:log4j-api", 1, 1)
		npmDateutil           = pkg("pkg:npm/python-dateutil", "npm", "python-dateutil", 1, 1)
		dateutil              = pkg("pkg:pypi/python-dateutil", "PyPI", "python_dateutil", 1, 1)
		rails                 = pkg("pkg:gem/Rails", "RubyGems", "Rails", 1, 1)
		rand                  = pkg("pkg:cargo/rand", "crates.io", "rand", 1, 1) // named from its PURL
		requests              = pkg("pkg:pypi/requests", "PyPI", "Requests", 1, 1)
		serde                 = pkg("pkg:cargo/serde_json", "crates.io", "serde_json", 1, 1)
		zope                  = pkg("pkg:pypi/zope.interface", "PyPI", "zope.interface", 1, 1)
	)
	all := []catalog.Technology{golang, python, shell, log4jCore, angular, cobra, lodash, npmLog4j, openssl,
		log4jAPI, npmDateutil, dateutil, rails, rand, requests, serde, zope}
	tests := []struct {
		f    store.TechnologyFilter
		want []catalog.Technology
	}{
		{store.TechnologyFilter{}, all},
		{store.TechnologyFilter{Kind: "language"}, all[:3]},
		{store.TechnologyFilter{Kind: "Package"}, all[3:]},
		{store.TechnologyFilter{Ecosystem: "pypi"}, []catalog.Technology{dateutil, requests, zope}},
		{store.TechnologyFilter{Kind: "package", Ecosystem: "PyPI"}, []catalog.Technology{dateutil, requests, zope}},
		{store.TechnologyFilter{Kind: "language", Ecosystem: "PyPI"}, nil},
		{store.TechnologyFilter{Query: "LOG4J"}, []catalog.Technology{log4jCore, npmLog4j, log4jAPI}},
		{store.TechnologyFilter{Query: "zope_inter"}, []catalog.Technology{zope}},
		{store.TechnologyFilter{Query: "py"}, []catalog.Technology{python, npmDateutil, dateutil}},
		{store.TechnologyFilter{Query: "py", Kind: "language"}, []catalog.Technology{python}},
		{store.TechnologyFilter{Query: "%"}, nil},
		{store.TechnologyFilter{Limit: 2, Offset: 3}, []catalog.Technology{log4jCore, angular}},
		{store.TechnologyFilter{Limit: 2}, []catalog.Technology{golang, python}},
		{store.TechnologyFilter{Offset: 15}, []catalog.Technology{serde, zope}},
		{store.TechnologyFilter{Offset: 100}, nil},
	}
	for _, tt := range tests {
		got, err := s.Technologies(ctx, tt.f)
		if err != nil {
			t.Errorf("Technologies(%+v): %v", tt.f, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got, opts); diff != "" {
			t.Errorf("Technologies(%+v) (-want +got):\n%s", tt.f, diff)
		}
	}
	if _, err := s.Technologies(ctx, store.TechnologyFilter{Kind: "framework"}); err == nil {
		t.Error("Technologies(Kind framework) succeeded")
	}

	// The counts follow replacements and deletions.
	ps, _ := usageEstateProjects()
	beta := ps[1]
	beta.Dependencies = []catalog.Dependency{
		beta.Dependencies[0], // log4j-core 2.17.1, twice: one project, one version
		{PURL: "pkg:maven/org.apache.logging.log4j/log4j-core@2.17.1", Ecosystem: "Maven", Name: "org.apache.logging.log4j:log4j-core", Version: "2.17.1", Manifest: "other/pom.xml"},
		{PURL: "pkg:npm/lodash@4.17.21", Ecosystem: "npm", Name: "lodash", Version: "4.17.21", Manifest: "package-lock.json"},
		{PURL: "pkg:npm/lodash@4.17.21", Ecosystem: "npm", Name: "lodash", Version: "", Manifest: "package.json"}, // no version: not counted
	}
	for i := 0; i < 2; i++ { // the second time changes nothing
		replace(t, s, beta)
		check := []struct {
			f    store.TechnologyFilter
			want []catalog.Technology
		}{
			{store.TechnologyFilter{Query: "log4j-core", Kind: "package"}, []catalog.Technology{log4jCore, npmLog4j}},
			{store.TechnologyFilter{Query: "lodash"}, []catalog.Technology{pkg("pkg:npm/lodash", "npm", "lodash", 2, 2)}},
			{store.TechnologyFilter{Query: "cobra"}, nil},
			{store.TechnologyFilter{Ecosystem: "rubygems"}, nil},
		}
		for _, c := range check {
			got, err := s.Technologies(ctx, c.f)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c.want, got, opts); diff != "" {
				t.Errorf("after replacing beta %d times: Technologies(%+v) (-want +got):\n%s", i+1, c.f, diff)
			}
		}
	}
	if err := s.DeleteProject(ctx, ps[0].Key); err != nil {
		t.Fatal(err)
	}
	got, err := s.Technologies(ctx, store.TechnologyFilter{Kind: "package"})
	if err != nil {
		t.Fatal(err)
	}
	log4jCore.Projects, log4jCore.Versions = 1, 1
	want := []catalog.Technology{pkg("pkg:npm/lodash", "npm", "lodash", 1, 1), npmLog4j, openssl, log4jCore, npmDateutil, dateutil, rand} // all used once: by name key
	if diff := cmp.Diff(want, got, opts); diff != "" {
		t.Errorf("after deleting alpha: Technologies (-want +got):\n%s", diff)
	}
	for _, p := range ps[1:] {
		if err := s.DeleteProject(ctx, p.Key); err != nil {
			t.Fatal(err)
		}
	}
	if got, err := s.Technologies(ctx, store.TechnologyFilter{}); err != nil || len(got) != 0 {
		t.Errorf("Technologies of an emptied store = %+v, %v", got, err)
	}
}

// packageCounts checks the projects and versions Technologies counts for
// the packages of project(…, seed) in a store holding n such projects with
// seeds 0 to n-1 (log4j has one version per seed).
func packageCounts(t *testing.T, s store.Store, n int) {
	t.Helper()
	got, err := s.Technologies(context.Background(), store.TechnologyFilter{Kind: "package"})
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string][2]int{}
	for _, tc := range got {
		counts[tc.ID] = [2]int{tc.Projects, tc.Versions}
	}
	want := map[string][2]int{
		"pkg:npm/lodash": {n, 1}, "pkg:npm/%40angular/core": {n, 1}, "pkg:golang/github.com/spf13/cobra": {n, 1},
		"pkg:maven/org.apache.logging.log4j/log4j-core": {n, n}, "pkg:maven/org.apache.logging.log4j/log4j-api": {n, n},
	}
	if diff := cmp.Diff(want, counts); diff != "" {
		t.Errorf("package counts of %d projects (-want +got):\n%s", n, diff)
	}
}

func testExperts(t *testing.T, s store.Store) {
	ctx := context.Background()
	_, _, ida, idb, people := estate(t, s)
	t1 := t0.AddDate(0, 1, 0)
	inA := catalog.PersonProject{ProjectID: ida, Project: "a", Commits: 10, LinesAdded: 100, LinesRemoved: 30, FirstCommit: t0.AddDate(0, -2, 0), LastCommit: t0}
	inB := catalog.PersonProject{ProjectID: idb, Project: "b", Commits: 5, LinesAdded: 50, LinesRemoved: 15, FirstCommit: t1.AddDate(0, -2, 0), LastCommit: t1}
	alice := func(pps ...catalog.PersonProject) catalog.Person {
		p := people[0]
		p.Projects = pps
		for _, pp := range pps {
			p.Commits += pp.Commits
			p.LinesAdded += pp.LinesAdded
			p.LinesRemoved += pp.LinesRemoved
			if p.FirstCommit.IsZero() || pp.FirstCommit.Before(p.FirstCommit) {
				p.FirstCommit = pp.FirstCommit
			}
			if pp.LastCommit.After(p.LastCommit) {
				p.LastCommit = pp.LastCommit
			}
		}
		return p
	}
	bob := people[1]
	bob.Commits, bob.LinesAdded, bob.LinesRemoved = 7, 70, 21
	bob.FirstCommit, bob.LastCommit = t0.AddDate(0, -2, 0), t0
	bob.Projects = []catalog.PersonProject{{ProjectID: ida, Project: "a", Commits: 7, LinesAdded: 70, LinesRemoved: 21, FirstCommit: bob.FirstCommit, LastCommit: t0}}
	sam := func(i, commits int) catalog.Person {
		p := people[i]
		p.Commits, p.LinesAdded, p.LinesRemoved = commits, int64(commits)*10, int64(commits)*3
		p.FirstCommit, p.LastCommit = t0.AddDate(0, -2, 0), t0
		p.Projects = []catalog.PersonProject{{ProjectID: idb, Project: "b", Commits: commits, LinesAdded: p.LinesAdded, LinesRemoved: p.LinesRemoved, FirstCommit: p.FirstCommit, LastCommit: t0}}
		return p
	}
	sam1, sam2 := sam(3, 1), sam(4, 3)

	// Many unknown IDs around the real ones: more than one query's worth.
	many := []int64{}
	for i := int64(0); i < 1200; i++ {
		many = append(many, 1_000_000+i)
		if i == 600 {
			many = append(many, idb)
		}
	}
	many = append(many, ida)

	tests := []struct {
		name  string
		ids   []int64
		limit int
		want  []catalog.Person
	}{
		{"a", []int64{ida}, 0, []catalog.Person{alice(inA), bob}}, // the bot and Carol (nobody) left out
		{"b", []int64{idb}, 0, []catalog.Person{alice(inB), sam2, sam1}},
		{"both", []int64{idb, ida}, 0, []catalog.Person{alice(inA, inB), bob, sam2, sam1}},
		{"twice", []int64{ida, ida}, 0, []catalog.Person{alice(inA), bob}},
		{"limit", []int64{ida, idb}, 2, []catalog.Person{alice(inA, inB), bob}},
		{"many", many, 0, []catalog.Person{alice(inA, inB), bob, sam2, sam1}},
		{"unknown", []int64{999999}, 0, nil},
		{"none", nil, 0, nil},
	}
	for _, tt := range tests {
		got, err := s.Experts(ctx, tt.ids, tt.limit)
		if err != nil {
			t.Errorf("Experts(%s): %v", tt.name, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got, opts); diff != "" {
			t.Errorf("Experts(%s) (-want +got):\n%s", tt.name, diff)
		}
	}
}

// Upgraded checks a store just migrated from schema version 1, in which an
// older ospo stored the project with key "k", name "n", path "/p" and 10
// bytes of Go: the project is still there and takes dependencies.
func Upgraded(t *testing.T, s store.Store) {
	t.Helper()
	ctx := context.Background()
	old, err := s.Project(ctx, "k")
	if err != nil {
		t.Fatalf("Project stored before the upgrade: %v", err)
	}
	want := catalog.Project{ID: old.ID, Key: "k", Name: "n", Path: "/p", Languages: []catalog.Language{{Name: "Go", Bytes: 10, Files: 1}}}
	if diff := cmp.Diff(want, *old, opts); diff != "" {
		t.Errorf("project stored before the upgrade (-want +got):\n%s", diff)
	}
	p := project("k", "n", 1)
	if id := replace(t, s, p); id != old.ID {
		t.Errorf("ReplaceProject after the upgrade = ID %d, want %d", id, old.ID)
	}
	if diff := cmp.Diff(stored(p, old.ID), *get(t, s, "k"), opts); diff != "" {
		t.Errorf("project with dependencies after the upgrade (-want +got):\n%s", diff)
	}
	us, err := s.WhoUses(ctx, store.UsageFilter{Package: "pkg:npm/lodash"})
	if err != nil || len(us) != 1 {
		t.Errorf("WhoUses after the upgrade = %+v, %v", us, err)
	}
}

func testDirectDependencies(t *testing.T, s store.Store) {
	ctx := context.Background()
	_, ids := usageEstate(t, s)
	// What Project reads back, direct ones only, is the truth.
	want := map[int64][]catalog.Dependency{}
	for _, id := range ids {
		p, err := s.Project(ctx, fmt.Sprint(id))
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range p.Dependencies {
			if d.Direct {
				want[id] = append(want[id], d)
			}
		}
	}
	if len(want) < 2 {
		t.Fatalf("usageEstate has %d projects with direct dependencies; the test needs several", len(want))
	}
	// Every project, twice, and an unknown one.
	got, err := s.DirectDependencies(ctx, append(append(slices.Clone(ids), ids...), 999999))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got, opts); diff != "" {
		t.Errorf("DirectDependencies (-want +got):\n%s", diff)
	}
	got, err = s.DirectDependencies(ctx, ids[:1])
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[int64][]catalog.Dependency{ids[0]: want[ids[0]]}, got, opts); diff != "" {
		t.Errorf("DirectDependencies(first) (-want +got):\n%s", diff)
	}
	if got, err := s.DirectDependencies(ctx, nil); err != nil || len(got) != 0 {
		t.Errorf("DirectDependencies(none) = %v, %v; want none", got, err)
	}
}
