package deps

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/repofs"
)

// TestHostileInputs feeds each parser inputs built to exhaust it: deep
// nesting, alias bombs, huge lines. Each must become a problem on its file,
// quickly, while a good file beside it is still read.
func TestHostileInputs(t *testing.T) {
	deep := func(open, close string, n int) string { return strings.Repeat(open, n) + strings.Repeat(close, n) }
	laughs := `a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
`
	tests := []struct {
		name, path, content string
	}{
		{"json nesting", "package-lock.json", `{"packages": ` + deep("[", "]", 1_000_000) + `}`},
		{"json nesting v1", "package-lock.json", `{"dependencies": ` + strings.Repeat(`{"a": {"version": "1.0.0", "dependencies": `, 2000) + "{}" + strings.Repeat("}}", 2000) + `}`},
		{"yaml nesting", "pnpm-lock.yaml", "lockfileVersion: '9.0'\npackages: " + deep("[", "]", 200_000) + "\n"},
		{"yaml alias bomb", "pnpm-lock.yaml", laughs + "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies: *h\n"},
		{"yaml alias bomb berry", "yarn.lock", "__metadata:\n  version: 6\n" + laughs + "\"x@npm:1\":\n  dependencies: *h\n"},
		{"yaml alias bomb actions", ".github/workflows/ci.yml", laughs + "jobs:\n  a:\n    steps: *h\n"},
		{"toml nesting", "poetry.lock", "[[package]]\nname = \"x\"\nversion = \"1\"\nfiles = " + deep("[", "]", 3_000_000) + "\n"},
		{"toml nesting scalibr", "pdm.lock", "[[package]]\nname = \"x\"\nversion = \"1\"\nx = " + deep("[", "]", 3_000_000) + "\n"},
		{"toml inline tables", "Cargo.toml", "[dependencies]\nx = " + strings.Repeat("{a = ", 100_000) + "1" + strings.Repeat("}", 100_000) + "\n"},
		{"xml nesting", "App.csproj", deep("<a>", "</a>", 200_000)},
		{"xml nesting scalibr", "pom.xml", "<project>" + deep("<a>", "</a>", 200_000) + "</project>"},
		{"huge line yarn", "yarn.lock", "# yarn lockfile v1\n\n\"" + strings.Repeat("x", 4<<20) + "@1\":\n  version \"1\"\n"},
		{"huge line Dockerfile", "Dockerfile", "FROM " + strings.Repeat("a", 4<<20) + "\n"},
		{"huge continuation Dockerfile", "Dockerfile", strings.Repeat("RUN x \\\n", 300_000) + "\n"},
		{"huge line Gemfile.lock", "Gemfile.lock", "GEM\n  specs:\n    " + strings.Repeat("x", 4<<20) + " (1.0)\n"},
		{"yaml alias bomb pubspec", "pubspec.lock", laughs + "packages:\n  a:\n    source: hosted\n    version: '1'\n    description: *h\n"},
		{"yaml nesting pubspec", "pubspec.lock", "packages: " + deep("[", "]", 200_000) + "\n"},
		{"yaml alias bomb Podfile.lock", "Podfile.lock", laughs + "PODS:\n  - a (1.0): *h\n"},
		{"yaml nesting Podfile.lock", "Podfile.lock", "PODS: " + deep("[", "]", 200_000) + "\n"},
		{"huge line stack.yaml.lock", "stack.yaml.lock", "packages:\n- completed:\n    hackage: " + strings.Repeat("x", 4<<20) + "-1.0@sha256:0,1\n"},
		{"huge line cabal.project.freeze", "cabal.project.freeze", "constraints: any." + strings.Repeat("x", 4<<20) + " ==1.0\n"},
		{"json nesting renv.lock", "renv.lock", `{"Packages": ` + deep("[", "]", 1_000_000) + `}`},
		{"json nesting conan.lock", "conan.lock", `{"requires": ` + deep("[", "]", 1_000_000) + `}`},
		{"erlang nesting rebar.lock", "rebar.lock", deep("{", "}", 1_000_000) + "."},
		{"erlang nesting lists rebar.lock", "rebar.lock", "[" + deep("[", "]", 1_000_000) + "]."},
		{"unterminated binary rebar.lock", "rebar.lock", `[{<<"x">>,{pkg,<<"` + strings.Repeat("x", 4<<20)},
		{"many terms rebar.lock", "rebar.lock", strings.Repeat("[].\n", 100_000)},
		{"huge line build.gradle", "build.gradle", "dependencies {\n implementation '" + strings.Repeat("a", 4<<20) + ":b:1'\n}\n"},
		{"unterminated strings build.gradle", "build.gradle", strings.Repeat("implementation \"", 200_000)},
		{"unterminated comment build.gradle.kts", "build.gradle.kts", "implementation(\"a:b:1\")\n/*" + strings.Repeat("x", 4<<20)},
		{"many variables build.gradle", "build.gradle", strings.Repeat("def v = '1'\nimplementation \"g:a:$v\"\n", 100_000)},
		{"many yarn entries", "yarn.lock", "# yarn lockfile v1\n" + strings.Repeat("a@1:\n  dependencies:\n    a \"1\"\n", 50_000)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tree := repofs.MemTree{tt.path: tt.content, "good/requirements.txt": "flask==3.0.2\n"}
			// A hostile file that hangs the parser fails by the test
			// timeout; speed is for benchmarks, not for assertions on a
			// busy machine.
			deps, probs := Extract(context.Background(), tree)
			var good []string
			for _, d := range deps {
				if d.Manifest == "good/requirements.txt" {
					good = append(good, d.PURL)
				}
			}
			if diff := cmp.Diff([]string{"pkg:pypi/flask@3.0.2"}, good); diff != "" {
				t.Errorf("good file beside it (-want +got):\n%s", diff)
			}
			for _, p := range probs {
				if p.Path != tt.path {
					t.Errorf("problem on another file: %+v", p)
				}
				if p.Kind == catalog.ProblemInternal {
					t.Errorf("extractor crashed: %+v", p)
				}
			}
			t.Logf("%d deps, problems: %v", len(deps), probs)
		})
	}
}
