package deps

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	packageurl "github.com/package-url/packageurl-go"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/repofs"
)

// addSeeds adds every testdata file named base (in any case directory) as
// a fuzz seed, plus the extra seeds.
func addSeeds(f *testing.F, base string, extra ...string) {
	f.Helper()
	matches, _ := filepath.Glob(filepath.Join("testdata", "*", base))
	more, _ := filepath.Glob(filepath.Join("testdata", "*", "*", base))
	deeper, _ := filepath.Glob(filepath.Join("testdata", "*", "*", "*", base))
	for _, m := range append(append(matches, more...), deeper...) {
		data, err := os.ReadFile(m)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, e := range extra {
		f.Add([]byte(e))
	}
}

// checkExtract runs Extract on one file and checks the invariants every
// parser must keep on any input: no crash (a recovered panic is a
// ProblemInternal), problems only on that file, and dependencies with a
// name, the file as manifest and a PURL that parses back to itself.
func checkExtract(t *testing.T, path string, data []byte) {
	t.Helper()
	deps, probs := Extract(context.Background(), repofs.MemTree{path: string(data)})
	for _, p := range probs {
		if p.Kind == catalog.ProblemInternal {
			t.Fatalf("extractor crashed: %s", p.Message)
		}
		if p.Path != path {
			t.Fatalf("problem on %q, want %q", p.Path, path)
		}
	}
	for _, d := range deps {
		if d.Name == "" || d.Ecosystem == "" || d.Manifest != path {
			t.Fatalf("incomplete dependency %+v", d)
		}
		u, err := packageurl.FromString(d.PURL)
		if err != nil {
			t.Fatalf("PURL %q does not parse: %v", d.PURL, err)
		}
		if s := u.ToString(); s != d.PURL {
			t.Fatalf("PURL %q is not canonical: %q", d.PURL, s)
		}
	}
}

func FuzzActions(f *testing.F) {
	addSeeds(f, "ci.yml", "jobs: {a: {uses: o/r/.github/workflows/w.yml@v1, steps: [{uses: 'docker://x:1'}]}}")
	addSeeds(f, "action.yml", "runs: {using: docker, image: 'docker://alpine@sha256:e9ac71e2b8e279a8372741b7a0293afda17650d926900233ec3a7b2b7c22a246'}")
	f.Fuzz(func(t *testing.T, data []byte) {
		checkExtract(t, ".github/workflows/ci.yml", data)
		checkExtract(t, "action.yml", data)
	})
}

func FuzzDockerfile(f *testing.F) {
	addSeeds(f, "Dockerfile", "# escape=`\nFROM a:1 `\n AS b\nFROM b\n", "ARG X=1\nFROM ${X:-y}:${X:+z}\nCOPY --from=q:1 / /\n")
	addSeeds(f, "Containerfile")
	f.Fuzz(func(t *testing.T, data []byte) {
		checkExtract(t, "Dockerfile", data)
	})
}

func FuzzYarnLock(f *testing.F) {
	addSeeds(f, "yarn.lock", "a@1, \"a@^1\":\n  version \"1.0.0\"\n  dependencies:\n    b \"2\"\n")
	f.Fuzz(func(t *testing.T, data []byte) {
		checkExtract(t, "yarn.lock", data)
	})
}

func FuzzPNPMLock(f *testing.F) {
	addSeeds(f, "pnpm-lock.yaml", "lockfileVersion: 5.4\ndependencies:\n  a: 1.0.0_b@2\npackages:\n  /a/1.0.0_b@2:\n    dev: false\n")
	f.Fuzz(func(t *testing.T, data []byte) {
		checkExtract(t, "pnpm-lock.yaml", data)
	})
}

func FuzzNPMLock(f *testing.F) {
	addSeeds(f, "package-lock.json", `{"dependencies": {"a": {"version": "npm:b@1.0.0", "requires": {"c": "1"}, "dependencies": {"c": {"version": "1.0.0"}}}}}`)
	addSeeds(f, "package.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		checkExtract(t, "package-lock.json", data)
		checkExtract(t, "package.json", data)
	})
}

func FuzzGemfileLock(f *testing.F) {
	addSeeds(f, "Gemfile.lock")
	f.Fuzz(func(t *testing.T, data []byte) {
		checkExtract(t, "Gemfile.lock", data)
	})
}

func FuzzMSBuild(f *testing.F) {
	addSeeds(f, "Api.csproj", `<Project><ItemGroup><PackageReference Update="A" Version="$(V)"/></ItemGroup><PropertyGroup><V>$(V)</V></PropertyGroup></Project>`)
	addSeeds(f, "Directory.Packages.props")
	f.Fuzz(func(t *testing.T, data []byte) {
		checkExtract(t, "App.csproj", data)
		checkExtract(t, "Directory.Packages.props", data)
	})
}

// FuzzTOML covers the TOML formats read by this package (Cargo, uv,
// Poetry, pyproject.toml, Pipfile) and the nesting check in front of every
// TOML parser.
func FuzzTOML(f *testing.F) {
	for _, b := range []string{"Cargo.lock", "Cargo.toml", "uv.lock", "poetry.lock", "pyproject.toml", "Pipfile"} {
		addSeeds(f, b)
	}
	f.Add([]byte(`a = """[[[""" # [[[` + "\nb = '[['\nc = [[1], {d = [2]}]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, p := range []string{"Cargo.lock", "Cargo.toml", "uv.lock", "poetry.lock", "pyproject.toml", "Pipfile"} {
			checkExtract(t, p, data)
		}
	})
}

// FuzzJSONLockfiles covers the JSON formats read by this package.
func FuzzJSONLockfiles(f *testing.F) {
	for _, b := range []string{"composer.lock", "composer.json", "packages.lock.json", "Package.resolved", "renv.lock", "conan.lock"} {
		addSeeds(f, b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, p := range []string{"composer.lock", "composer.json", "packages.lock.json", "Package.resolved", "renv.lock", "conan.lock"} {
			checkExtract(t, p, data)
		}
	})
}

// FuzzPURL checks that makePURL gives "" or a canonical PURL for any name
// and version, in every ecosystem.
func FuzzPURL(f *testing.F) {
	f.Add("@scope/Name", "1.0.0+build")
	f.Add("owner/repo/sub/path", "v1")
	f.Add("localhost:5000/a/b", "sha256:abc")
	f.Add("g:a", "${v}")
	f.Fuzz(func(t *testing.T, name, version string) {
		for eco := range purlTypes {
			s := makePURL(eco, name, version, nil)
			if s == "" {
				continue
			}
			u, err := packageurl.FromString(s)
			if err != nil {
				t.Fatalf("makePURL(%q, %q, %q) = %q, which does not parse: %v", eco, name, version, s, err)
			}
			if got := u.ToString(); got != s {
				t.Fatalf("makePURL(%q, %q, %q) = %q, not canonical (%q)", eco, name, version, s, got)
			}
			if !strings.HasPrefix(s, "pkg:"+purlTypes[eco]+"/") {
				t.Fatalf("makePURL(%q, …) = %q: wrong type", eco, s)
			}
		}
	})
}

func FuzzPodfileLock(f *testing.F) {
	addSeeds(f, "Podfile.lock", "PODS:\n  - A (1.0):\n    - B/C (= 2)\n  - B/C (2)\nDEPENDENCIES:\n  - A\n")
	f.Fuzz(func(t *testing.T, data []byte) {
		checkExtract(t, "Podfile.lock", data)
	})
}

func FuzzPubspecLock(f *testing.F) {
	addSeeds(f, "pubspec.lock", "packages:\n  a:\n    dependency: transitive\n    source: hosted\n    version: \"1.0.0\"\n")
	f.Fuzz(func(t *testing.T, data []byte) {
		checkExtract(t, "pubspec.lock", data)
	})
}

func FuzzRebarLock(f *testing.F) {
	addSeeds(f, "rebar.lock", `[{<<"a">>,{pkg,<<"a">>,<<"1.0.0">>},0}].`, "{\"1.2.0\",[]}.\n[{pkg_hash,[]}].")
	f.Fuzz(func(t *testing.T, data []byte) {
		checkExtract(t, "rebar.lock", data)
	})
}

func FuzzGradleBuild(f *testing.F) {
	addSeeds(f, "build.gradle", "def v = '1'\ndependencies { implementation \"g:a:$v\" // x\n api group: 'g', name: 'b', version: '2' }\n")
	addSeeds(f, "build.gradle.kts")
	f.Fuzz(func(t *testing.T, data []byte) {
		checkExtract(t, "build.gradle", data)
		checkExtract(t, "build.gradle.kts", data)
	})
}
