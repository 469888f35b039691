package deps

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/repofs"
)

func TestPNPMNameVersion(t *testing.T) {
	tests := []struct {
		key, lockVersion string
		v9               bool
		name, version    string
	}{
		{"/ms/2.1.3", "5.4", false, "ms", "2.1.3"},
		{"/@babel/core/7.24.0", "5.4", false, "@babel/core", "7.24.0"},
		{"/react-dom/18.2.0_react@18.2.0", "5.4", false, "react-dom", "18.2.0"},
		{"/foo/1.4.0_@types+babel__core@7.1.14", "5.3", false, "foo", "1.4.0"},
		{"registry.npmjs.org/@foo/bar/1.1.0", "5.3", false, "@foo/bar", "1.1.0"},
		{"github.com/kevva/is-positive", "5.3", false, "kevva", ""},
		{"/ms@2.1.3", "6.0", false, "ms", "2.1.3"},
		{"/@scope/pkg@1.0.0(react@18.2.0)(react-dom@18.2.0)", "6.1", false, "@scope/pkg", "1.0.0"},
		{"ms@2.1.3", "9.0", true, "ms", "2.1.3"},
		{"@scope/pkg@1.0.0-beta.1(react@18.2.0)", "9.0", true, "@scope/pkg", "1.0.0-beta.1"},
		{"pkg@https://codeload.github.com/o/r/tar.gz/abc", "9.0", true, "pkg", ""},
		{"noversion", "9.0", true, "", ""},
	}
	for _, tt := range tests {
		n, v := pnpmNameVersion(tt.key, tt.lockVersion, tt.v9)
		if n != tt.name || v != tt.version {
			t.Errorf("pnpmNameVersion(%q, %q) = %q, %q; want %q, %q", tt.key, tt.lockVersion, n, v, tt.name, tt.version)
		}
	}
}

func TestImageDep(t *testing.T) {
	tests := []struct {
		ref, name, version, purl string
		hash                     bool
	}{
		{"nginx", "nginx", "latest", "pkg:docker/nginx@latest", false},
		{"nginx:1.25-alpine", "nginx", "1.25-alpine", "pkg:docker/nginx@1.25-alpine", false},
		{"docker.io/library/nginx:1.25", "nginx", "1.25", "pkg:docker/nginx@1.25", false},
		{"docker.io/bitnami/redis:7.2", "bitnami/redis", "7.2", "pkg:docker/bitnami/redis@7.2", false},
		{"ghcr.io/org/app:v1", "ghcr.io/org/app", "v1", "pkg:docker/org/app@v1?repository_url=ghcr.io", false},
		{"localhost:5000/img", "localhost:5000/img", "latest", "pkg:docker/img@latest?repository_url=localhost:5000", false},
		{"alpine@sha256:e9ac71e2b8e279a8372741b7a0293afda17650d926900233ec3a7b2b7c22a246", "alpine",
			"sha256:e9ac71e2b8e279a8372741b7a0293afda17650d926900233ec3a7b2b7c22a246",
			"pkg:docker/alpine@sha256:e9ac71e2b8e279a8372741b7a0293afda17650d926900233ec3a7b2b7c22a246", true},
	}
	for _, tt := range tests {
		d, ok := imageDep(tt.ref)
		if !ok || d.Name != tt.name || d.Version != tt.version || d.PURL != tt.purl || (len(d.Hashes) > 0) != tt.hash {
			t.Errorf("imageDep(%q) = %+v, %v", tt.ref, d, ok)
		}
	}
	for _, bad := range []string{"", "Not_A_Valid/IMAGE!!", "a:b:c", "x@sha256:short", "$VAR"} {
		if d, ok := imageDep(bad); ok {
			t.Errorf("imageDep(%q) = %+v, want rejected", bad, d)
		}
	}
}

func TestExpandArgs(t *testing.T) {
	args := map[string]string{"V": "1.22", "EMPTY": "", "UNSET": "\x00unset"}
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"golang:${V}", "golang:1.22", true},
		{"golang:$V-alpine", "golang:1.22-alpine", true},
		{"x:${EMPTY:-def}", "x:def", true},
		{"x:${EMPTY-def}", "x:", true},
		{"x:${UNSET-def}", "x:def", true},
		{"x${V:+-suffix}", "x-suffix", true},
		{"x${EMPTY:+-suffix}", "x", true},
		{"${NOPE}", "", false},
		{"img:${UNSET}", "img:", false},
	}
	for _, tt := range tests {
		got, ok := expandArgs(tt.in, args)
		if got != tt.want || ok != tt.ok {
			t.Errorf("expandArgs(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestActionDep(t *testing.T) {
	tests := []struct {
		uses, name, version, purl string
	}{
		{"actions/checkout@v4", "actions/checkout", "v4", "pkg:githubactions/actions/checkout@v4"},
		{"github/codeql-action/init@v3", "github/codeql-action", "v3", "pkg:githubactions/github/codeql-action%2Finit@v3"},
		{"Org/Repo/.github/workflows/ci.yml@main", "Org/Repo", "main", "pkg:githubactions/org/repo%2F.github%2Fworkflows%2Fci.yml@main"},
		{"docker://ghcr.io/o/i:1", "ghcr.io/o/i", "1", "pkg:docker/o/i@1?repository_url=ghcr.io"},
	}
	for _, tt := range tests {
		d, ok := actionDep(tt.uses)
		if !ok || d.Name != tt.name || d.Version != tt.version || d.PURL != tt.purl {
			t.Errorf("actionDep(%q) = %+v, %v", tt.uses, d, ok)
		}
	}
	for _, skip := range []string{"./local", "../up", "${{ matrix.a }}", "actions/checkout", "noslash@v1", "/abs@v1"} {
		if d, ok := actionDep(skip); ok {
			t.Errorf("actionDep(%q) = %+v, want skipped", skip, d)
		}
	}
}

func TestSwiftName(t *testing.T) {
	for in, want := range map[string]string{
		"https://github.com/apple/swift-nio.git": "github.com/apple/swift-nio",
		"https://github.com/apple/swift-nio":     "github.com/apple/swift-nio",
		"git@github.com:apple/swift-log.git":     "github.com/apple/swift-log",
		"ssh://git@gitlab.example.com/team/kit":  "gitlab.example.com/team/kit",
		"https://user@host.example.com/a/b.git/": "host.example.com/a/b",
		"/Users/dev/local-kit":                   "",
		"file:///tmp/kit":                        "",
	} {
		if got := swiftName(in); got != want {
			t.Errorf("swiftName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPEP508(t *testing.T) {
	tests := []struct {
		req, name, version string
		constraint, ok     bool
	}{
		{"requests>=2.31,<3", "requests", ">=2.31,<3", true, true},
		{"requests [socks] >= 2.31 ; python_version < '3.8'", "requests", ">=2.31", true, true},
		{"Django==4.2.11", "Django", "4.2.11", false, true},
		{"pkg===1.0", "pkg", "1.0", false, true},
		{"pkg==1.*", "pkg", "==1.*", true, true},
		{"click", "click", "", false, true},
		{"pkg (>=1.0)", "pkg", ">=1.0", true, true},
		{"pkg @ https://example.com/pkg.whl", "", "", false, false},
		{"", "", "", false, false},
	}
	for _, tt := range tests {
		d, ok := pep508(tt.req, catalog.ScopeRuntime)
		if ok != tt.ok || d.Name != tt.name || d.Version != tt.version || d.Constraint != tt.constraint {
			t.Errorf("pep508(%q) = %q %q %v, %v", tt.req, d.Name, d.Version, d.Constraint, ok)
		}
	}
}

func TestGradleScope(t *testing.T) {
	for confs, want := range map[string]string{
		"compileClasspath,runtimeClasspath":            catalog.ScopeRuntime,
		"testCompileClasspath,testRuntimeClasspath":    catalog.ScopeTest,
		"annotationProcessor":                          catalog.ScopeBuild,
		"kapt,testRuntimeClasspath":                    catalog.ScopeBuild,
		"debugUnitTestRuntimeClasspath":                catalog.ScopeTest,
		"releaseRuntimeClasspath,testCompileClasspath": catalog.ScopeRuntime,
		"": "",
	} {
		if got := gradleScope(confs, false); got != want {
			t.Errorf("gradleScope(%q) = %q, want %q", confs, got, want)
		}
	}
}

// TestPairing checks how manifests and lockfiles are paired: a manifest in
// the lockfile's directory or below marks direct dependencies and gives
// scopes; a manifest with no lockfile above it is kept; families do not
// mix.
func TestPairing(t *testing.T) {
	tree := repofs.MemTree{
		// A yarn v1 lockfile knows neither direct dependencies nor scopes.
		"yarn.lock":              "a@^1:\n  version \"1.0.0\"\n  dependencies:\n    b \"^2\"\n\nb@^2:\n  version \"2.0.0\"\n\nc@^3:\n  version \"3.0.0\"\n",
		"package.json":           `{"dependencies": {"a": "^1"}}`,
		"tools/package.json":     `{"devDependencies": {"c": "^3"}}`,
		"other/pyproject.toml":   "[project]\ndependencies = [\"a>=1\"]\n",
		"Cargo.toml":             "[dependencies]\nserde = \"1\"\n",
		"web/app/package.json":   `{"dependencies": {"left-pad": "1.3.0"}}`,
		"web/app/yarn.lock":      "left-pad@1.3.0:\n  version \"1.3.0\"\n",
		"web/app/pnpm-lock.yaml": "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      left-pad: {specifier: 1.3.0, version: 1.3.0}\npackages:\n  left-pad@1.3.0: {}\nsnapshots:\n  left-pad@1.3.0: {}\n",
	}
	deps, probs := Extract(context.Background(), tree)
	if len(probs) > 0 {
		t.Fatalf("problems: %v", probs)
	}
	type row struct {
		Manifest, PURL string
		Direct         bool
		Scope          string
	}
	var got []row
	for _, d := range deps {
		got = append(got, row{d.Manifest, d.PURL, d.Direct, d.Scope})
	}
	want := []row{
		{"Cargo.toml", "pkg:cargo/serde", true, "runtime"},
		{"other/pyproject.toml", "pkg:pypi/a", true, "runtime"},
		{"web/app/pnpm-lock.yaml", "pkg:npm/left-pad@1.3.0", true, "runtime"},
		{"web/app/yarn.lock", "pkg:npm/left-pad@1.3.0", true, "runtime"},
		{"yarn.lock", "pkg:npm/a@1.0.0", true, "runtime"},
		{"yarn.lock", "pkg:npm/b@2.0.0", false, "runtime"},
		{"yarn.lock", "pkg:npm/c@3.0.0", true, "dev"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("paired dependencies (-want +got):\n%s", diff)
	}
}
