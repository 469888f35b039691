package deps

import (
	"context"
	"encoding/json"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/repofs"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// golden is what a golden file holds: the result of Extract on one tree.
type golden struct {
	Dependencies []catalog.Dependency `json:"dependencies"`
	Problems     []catalog.Problem    `json:"problems"`
}

// loadTree reads a directory of testdata into a tree, paths relative to it.
func loadTree(t testing.TB, dir string) repofs.MemTree {
	t.Helper()
	tree := repofs.MemTree{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		tree[filepath.ToSlash(rel)] = string(data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

// caseDirs lists the trees under testdata: every directory except the
// golden files and fuzz corpora.
func caseDirs(t testing.TB) []string {
	t.Helper()
	entries, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	var dirs []string
	for _, e := range entries {
		if e.IsDir() && e.Name() != "golden" && e.Name() != "fuzz" {
			dirs = append(dirs, e.Name())
		}
	}
	return dirs
}

// TestExtractGolden runs Extract on each tree of testdata and compares the
// dependencies and problems with testdata/golden/<tree>.json.
func TestExtractGolden(t *testing.T) {
	for _, name := range caseDirs(t) {
		t.Run(name, func(t *testing.T) {
			tree := loadTree(t, filepath.Join("testdata", name))
			deps, probs := Extract(context.Background(), tree)
			got := golden{Dependencies: deps, Problems: probs}
			if got.Dependencies == nil {
				got.Dependencies = []catalog.Dependency{}
			}
			if got.Problems == nil {
				got.Problems = []catalog.Problem{}
			}
			path := filepath.Join("testdata", "golden", name+".json")
			if *update {
				data, err := json.MarshalIndent(got, "", "  ")
				if err != nil {
					t.Fatal(err)
				}
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			var want golden
			if err := json.Unmarshal(data, &want); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Extract mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestExtractDeterministic checks that two runs give the same output: map
// iteration must not leak into the order of dependencies or edges.
func TestExtractDeterministic(t *testing.T) {
	for _, name := range caseDirs(t) {
		tree := loadTree(t, filepath.Join("testdata", name))
		a, pa := Extract(context.Background(), tree)
		for range 3 {
			b, pb := Extract(context.Background(), tree)
			if diff := cmp.Diff(a, b); diff != "" {
				t.Fatalf("%s: dependencies differ between runs (-first +again):\n%s", name, diff)
			}
			if diff := cmp.Diff(pa, pb); diff != "" {
				t.Fatalf("%s: problems differ between runs (-first +again):\n%s", name, diff)
			}
		}
	}
}

// TestPURLs checks PURL normalisation against the purl specification's
// rules for each type.
func TestPURLs(t *testing.T) {
	tests := []struct {
		eco, name, version string
		quals              map[string]string
		want               string
	}{
		{ecoGo, "github.com/BurntSushi/toml", "v1.3.2", nil, "pkg:golang/github.com/burntsushi/toml@v1.3.2"},
		{ecoGo, "github.com/BurntSushi/toml", "1.3.2", nil, "pkg:golang/github.com/burntsushi/toml@v1.3.2"},
		{ecoGo, "golang.org/x/net", "v0.0.0-20240101000000-abcdef123456", nil, "pkg:golang/golang.org/x/net@v0.0.0-20240101000000-abcdef123456"},
		{ecoGo, "stdlib", "1.22.5", nil, "pkg:golang/stdlib@1.22.5"},
		{ecoNPM, "@Babel/Core", "7.24.0", nil, "pkg:npm/%40babel/core@7.24.0"},
		{ecoNPM, "JSONStream", "1.3.5", nil, "pkg:npm/jsonstream@1.3.5"},
		{ecoPyPI, "Typing_Extensions", "4.10.0", nil, "pkg:pypi/typing-extensions@4.10.0"},
		{ecoPyPI, "zope.interface", "6.2", nil, "pkg:pypi/zope.interface@6.2"},
		{ecoMaven, "org.apache.commons:commons-lang3", "3.14.0", nil, "pkg:maven/org.apache.commons/commons-lang3@3.14.0"},
		{ecoMaven, "io.netty:netty-transport-native-epoll", "4.1.108.Final", map[string]string{"classifier": "linux-x86_64"},
			"pkg:maven/io.netty/netty-transport-native-epoll@4.1.108.Final?classifier=linux-x86_64"},
		{ecoCargo, "Inflector", "0.11.4", nil, "pkg:cargo/Inflector@0.11.4"},
		{ecoGem, "ActiveSupport", "7.1.3", nil, "pkg:gem/ActiveSupport@7.1.3"},
		{ecoComposer, "Monolog/Monolog", "3.5.0", nil, "pkg:composer/monolog/monolog@3.5.0"},
		{ecoNuGet, "Newtonsoft.Json", "13.0.3", nil, "pkg:nuget/Newtonsoft.Json@13.0.3"},
		{ecoHex, "Phoenix_HTML", "4.0.0", nil, "pkg:hex/phoenix_html@4.0.0"},
		{ecoSwift, "github.com/Alamofire/Alamofire", "5.9.1", nil, "pkg:swift/github.com/Alamofire/Alamofire@5.9.1"},
		{ecoActions, "Actions/Checkout", "v4", nil, "pkg:githubactions/actions/checkout@v4"},
		{ecoActions, "github/CodeQL-Action/Init", "v3", nil, "pkg:githubactions/github/codeql-action%2FInit@v3"},
		{ecoDocker, "nginx", "1.25", nil, "pkg:docker/nginx@1.25"},
		{ecoDocker, "docker.io/library/nginx", "1.25", nil, "pkg:docker/nginx@1.25"},
		{ecoDocker, "gcr.io/distroless/static", "nonroot", nil, "pkg:docker/distroless/static@nonroot?repository_url=gcr.io"},
		{ecoDocker, "localhost:5000/team/tool", "latest", nil, "pkg:docker/team/tool@latest?repository_url=localhost:5000"},
		{ecoNPM, "semver", "", nil, "pkg:npm/semver"},
		{ecoNPM, "", "1.0.0", nil, ""},
		{"Unknown", "x", "1", nil, ""},
		{ecoPyPI, "pkg", "1.0+local.1", nil, "pkg:pypi/pkg@1.0%2Blocal.1"},
	}
	for _, tt := range tests {
		if got := makePURL(tt.eco, tt.name, tt.version, tt.quals); got != tt.want {
			t.Errorf("makePURL(%q, %q, %q) = %q, want %q", tt.eco, tt.name, tt.version, got, tt.want)
		}
	}
}

// TestSkippedPaths checks that vendored code and fixtures are not read.
func TestSkippedPaths(t *testing.T) {
	lock := `{"lockfileVersion": 3, "packages": {"": {"dependencies": {"ms": "2.1.3"}}, "node_modules/ms": {"version": "2.1.3"}}}`
	tree := repofs.MemTree{
		"package-lock.json":                         lock,
		"node_modules/dep/package-lock.json":        lock,
		"vendor/github.com/x/y/go.mod":              "module github.com/x/y\n\nrequire golang.org/x/text v0.14.0\n",
		"testdata/fixture/package-lock.json":        lock,
		"internal/x/testdata/package-lock.json":     lock,
		"test/fixtures/app/package-lock.json":       lock,
		"third_party/lib/Cargo.lock":                "version = 3\n",
		"web/spec/fixtures/package-lock.json":       lock,
		"docs/examples/app/package-lock.json":       lock,
		"packages/fixtures/package-lock.json":       lock,
		".yarn/releases/yarn-4.1.0.cjs/yarn.lock":   "",
		"tools/.venv/lib/site-packages/x/uv.lock":   "",
		"web/bower_components/x/package-lock.json":  lock,
		"web/jspm_packages/npm/x/package-lock.json": lock,
	}
	deps, probs := Extract(context.Background(), tree)
	if len(probs) != 0 {
		t.Errorf("problems: %v", probs)
	}
	var manifests []string
	for _, d := range deps {
		manifests = append(manifests, d.Manifest)
	}
	want := []string{"docs/examples/app/package-lock.json", "package-lock.json", "packages/fixtures/package-lock.json"}
	if diff := cmp.Diff(want, manifests); diff != "" {
		t.Errorf("manifests read (-want +got):\n%s", diff)
	}
}

// TestSymlinksNotFollowed checks that a symbolic link is never read, even
// when its name is a lockfile's.
func TestSymlinksNotFollowed(t *testing.T) {
	tree := symlinkTree{MemTree: repofs.MemTree{"package-lock.json": "/etc/passwd"}}
	deps, probs := Extract(context.Background(), tree)
	if len(deps) != 0 || len(probs) != 0 {
		t.Errorf("Extract on a symlink = %v, %v; want nothing", deps, probs)
	}
}

// symlinkTree is a tree whose every file is a symbolic link.
type symlinkTree struct{ repofs.MemTree }

func (s symlinkTree) Files() []repofs.File {
	fs := s.MemTree.Files()
	for i := range fs {
		fs[i].Symlink = true
	}
	return fs
}

func (s symlinkTree) ReadFile(p string, max int64) ([]byte, error) {
	panic("read of a symbolic link " + p)
}

// TestCaps checks the limits on files and dependencies.
func TestCaps(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"lockfileVersion": 3, "packages": {`)
	for i := range 50 {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`"node_modules/p` + string(rune('a'+i%26)) + string(rune('a'+i/26)) + `": {"version": "1.0.0"}`)
	}
	b.WriteString("}}")
	tree := repofs.MemTree{"a/package-lock.json": b.String(), "b/package-lock.json": b.String(), "c/package-lock.json": "{}"}
	deps, probs := ExtractWith(context.Background(), tree, Options{MaxDepsPerFile: 10, MaxFiles: 2, MaxDeps: 15})
	if len(deps) != 15 {
		t.Errorf("got %d dependencies, want 15", len(deps))
	}
	var kinds []string
	for _, p := range probs {
		kinds = append(kinds, p.Kind+" "+p.Path)
	}
	want := []string{"too-large a/package-lock.json", "too-large b/package-lock.json", "too-large c/package-lock.json", "too-large "}
	if diff := cmp.Diff(want, kinds); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}

	big := repofs.MemTree{"package-lock.json": b.String()}
	_, probs = ExtractWith(context.Background(), big, Options{MaxFileSize: 100})
	if len(probs) != 1 || probs[0].Kind != catalog.ProblemTooLarge || probs[0].Path != "package-lock.json" {
		t.Errorf("oversized file: problems %v, want one too-large", probs)
	}
}

// TestCancelled checks that a cancelled context stops the walk.
func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	deps, _ := Extract(ctx, loadTree(t, filepath.Join("testdata", "npm-v3")))
	if len(deps) != 0 {
		t.Errorf("cancelled: got %d dependencies", len(deps))
	}
}

// TestConcurrent runs Extract from several goroutines at once, as the
// scanner's workers do: the extractor list and scalibr's logger are shared.
func TestConcurrent(t *testing.T) {
	tree := repofs.MemTree{}
	for _, name := range caseDirs(t) {
		for p, c := range loadTree(t, filepath.Join("testdata", name)) {
			tree[name+"/"+p] = c
		}
	}
	want, _ := Extract(context.Background(), tree)
	errs := make(chan string, 4)
	for range 4 {
		go func() {
			got, _ := Extract(context.Background(), tree)
			errs <- cmp.Diff(want, got)
		}()
	}
	for range 4 {
		if diff := <-errs; diff != "" {
			t.Errorf("concurrent Extract differs (-first +other):\n%s", diff)
		}
	}
}
