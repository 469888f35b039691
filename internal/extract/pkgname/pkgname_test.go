package pkgname

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/repofs"
)

func load(t *testing.T, dir string) repofs.MemTree {
	t.Helper()
	m := repofs.MemTree{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		m[strings.TrimSuffix(e.Name(), ".txt")] = string(b)
	}
	return m
}

// run is extract.Run for this extractor (which package extract lists).
func run(t repofs.Tree) catalog.Facts {
	var files []repofs.File
	for _, f := range t.Files() {
		if (Extractor{}).FileRequired(f) {
			files = append(files, f)
		}
	}
	return Extractor{}.Extract(context.Background(), t, files)
}

// TestRealManifests reads the names real projects publish under.
func TestRealManifests(t *testing.T) {
	tests := map[string][]catalog.PackageName{
		"cobra":            {{Ecosystem: "Go", Name: "github.com/spf13/cobra", Manifest: "go.mod"}},
		"core":             nil, // "private": true, not published
		"express":          {{Ecosystem: "npm", Name: "express", Manifest: "package.json"}},
		"flask":            {{Ecosystem: "PyPI", Name: "Flask", Manifest: "pyproject.toml"}},
		"poetry":           {{Ecosystem: "PyPI", Name: "poetry", Manifest: "pyproject.toml"}},
		"ripgrep":          {{Ecosystem: "crates.io", Name: "ripgrep", Manifest: "Cargo.toml"}},
		"spring-petclinic": {{Ecosystem: "Maven", Name: "org.springframework.samples:spring-petclinic", Manifest: "pom.xml"}},
	}
	for name, want := range tests {
		t.Run(name, func(t *testing.T) {
			facts := run(load(t, filepath.Join("testdata", name)))
			if diff := cmp.Diff(want, facts.PackageNames); diff != "" {
				t.Errorf("names (-want +got):\n%s", diff)
			}
			if len(facts.Problems) > 0 {
				t.Errorf("problems: %+v", facts.Problems)
			}
		})
	}
}

func TestBrokenManifests(t *testing.T) {
	tree := repofs.MemTree{
		"package.json":   `{"name": `,
		"Cargo.toml":     "[package]\nname = \"x\"\npublish = false\n",
		"pom.xml":        "<project><artifactId>a</artifactId><groupId>${org}</groupId></project>",
		"go.mod":         "// no module here\n",
		"sub/Cargo.toml": "[package]\nname = \"inner\"\n",
	}
	facts := run(tree)
	if len(facts.PackageNames) != 0 {
		t.Errorf("names %+v, want none", facts.PackageNames)
	}
	var paths []string
	for _, p := range facts.Problems {
		paths = append(paths, p.Path+" "+p.Kind)
	}
	want := []string{"go.mod " + catalog.ProblemParse, "package.json " + catalog.ProblemParse}
	if diff := cmp.Diff(want, paths); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}
