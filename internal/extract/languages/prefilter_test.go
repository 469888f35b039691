package languages

import (
	"testing"

	"github.com/go-enry/go-enry/v2"
	"github.com/go-enry/go-enry/v2/data"
)

// samplePaths exercise linguist's vendor, documentation and generated rules.
var samplePaths = []string{
	"main.go", "cmd/ospo/main.go", "vendor/github.com/x/y.go", "Vendor/x.c", "vvendor/a.c",
	"web/node_modules/react/index.js", "dist/app.js", "src/dist/x.ts", "cache/a.py",
	"testdata/golden.json", "a/testdata/b.go", "third_party/lib.c", "ThirdParty/x.h", "3rd-party/y.c",
	"lib/jquery.js", "lib/jquery-3.6.0.js", "lib/jquery-ui.min.css", "static/bootstrap.min.css",
	"static/bootstrap/js/bootstrap.bundle.js", "static/d3.v7.js", "src/types/index.d.ts",
	"src/prototype/app.js", "docs/index.md", "Docs/a.py", "doc/a.go", "src/docs/a.go",
	"documentation/x.rb", "examples/hello.go", "a/examples/b.go", "README", "README.md",
	"src/Readme.txt", "LICENSE", "license.txt", "CHANGELOG.md", "CHANGES", "CONTRIBUTING.md",
	"COPYING", "INSTALL", "CITATION.cff", "man/ospo.1", "samples/a.c", "Sample/b.c",
	".github/workflows/ci.yml", ".vscode/settings.json", "gradlew", "gradle/wrapper/x.jar",
	"mvnw", ".mvn/wrapper/maven-wrapper.properties", "Jenkinsfile", "Vagrantfile", "debian/rules",
	"deps/a.c", "Dependencies/x.h", "extern/a.c", "externals/b.c", "env/lib/site.py",
	"tests/fixtures/a.rb", "spec/fixtures/b.rb", "packages/Foo.1.2/lib.dll", "Packages/Newtonsoft.Json.13/x.cs",
	"MyApp/Form1.Designer.cs", "MyApp/Form1.DESIGNER.VB", "x.feature.cs", "Pods/AFNetworking/a.m",
	"Carthage/Build/x.framework", ".idea/workspace.xml", "Godeps/Godeps.json", "Cargo.lock",
	"package-lock.json", "yarn.lock", "poetry.lock", "go.sum", "flake.lock", "MODULE.bazel.lock",
	".terraform.lock.hcl", "src/__generated__/q.graphql.ts", "x_tlb.pas", "htmlcov/index.html",
	".sqlx/query-abc.json", "a.zep.c", "npm-shrinkwrap.json", "pnpm-lock.yaml", ".pnp.cjs",
	"Cargo.toml.orig", "esy.lock", "Gopkg.lock", "glide.lock", "pdm.lock", "uv.lock", "deno.lock",
	"composer.lock", "Pipfile.lock", "vendor/golang.org/x/text/a.go", "_esy", "rebar", "waf",
	"K\u212aLVIN/x.designer.cs", "x.DESIGNER.cſ", "s\u017fpecs/fixtures/a", "é/vendor/a.c",
	"", "/", "//", "a//b", "font-awesome/css/all.css", "select2/select2.js", "MathJax/x.js",
}

func TestPathRulesMatchEnry(t *testing.T) {
	for _, p := range samplePaths {
		if got, want := vendorRules().match(p), enry.IsVendor(p); got != want {
			t.Errorf("vendor(%q) = %v, enry says %v", p, got, want)
		}
		if got, want := documentationRules().match(p), enry.IsDocumentation(p); got != want {
			t.Errorf("documentation(%q) = %v, enry says %v", p, got, want)
		}
		if got, want := linguistGeneratedName(p), enry.IsGenerated(p, nil); got != want {
			t.Errorf("generated name(%q) = %v, enry says %v", p, got, want)
		}
	}
}

// TestGeneratedNameTriggers checks that every linguist generated-name rule is
// hit by one of the sample paths, so that TestPathRulesMatchEnry covers it,
// and that the rule count has not changed since the triggers were written.
func TestGeneratedNameTriggers(t *testing.T) {
	if n := len(data.GeneratedCodeNameMatchers); n != generatedNameRuleCount {
		t.Fatalf("go-enry has %d generated-name rules, generatedNameTriggers was written for %d: review it", n, generatedNameRuleCount)
	}
	for i, m := range data.GeneratedCodeNameMatchers {
		hit := false
		for _, p := range samplePaths {
			if m(p) {
				hit = true
				break
			}
		}
		if !hit {
			t.Errorf("generated-name rule %d matches no sample path", i)
		}
	}
}

func TestRequiredLiteralsEveryRule(t *testing.T) {
	// Most rules should get a literal; otherwise the prefilter saves nothing.
	without := 0
	for _, r := range vendorRules().rules {
		if r.lits == nil {
			without++
			t.Logf("no literal: %s", r.re)
		}
	}
	if without > 5 {
		t.Errorf("%d vendor rules have no literal", without)
	}
}

func FuzzPathRules(f *testing.F) {
	for _, p := range samplePaths {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, p string) {
		if len(p) > MaxPath {
			if !Vendored(p) {
				t.Errorf("Vendored(%d bytes) = false", len(p))
			}
			return
		}
		if got, want := vendorRules().match(p), enry.IsVendor(p); got != want {
			t.Errorf("vendor(%q) = %v, enry says %v", p, got, want)
		}
		if got, want := documentationRules().match(p), enry.IsDocumentation(p); got != want {
			t.Errorf("documentation(%q) = %v, enry says %v", p, got, want)
		}
		if got, want := linguistGeneratedName(p), enry.IsGenerated(p, nil); got != want {
			t.Errorf("generated name(%q) = %v, enry says %v", p, got, want)
		}
	})
}
