// Package test holds tests of the repository as a whole. layers_test.go
// holds the import direction of DESIGN.md's layout:
//
//	catalog <- repofs <- extractors and analyses <- analyze <- scan <- cli, hub
//
// Low packages never import high ones, analyses never import a store, and
// the composition root (cli) reaches the extractors only through the
// pipeline (analyze).
package test

import (
	"bufio"
	"bytes"
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/ospo-project/ospo/"

// high are the packages that wire, store, serve or run the pipeline.
var high = []string{
	"internal/store", "internal/scan", "internal/analyze", "internal/hub", "internal/cli",
	"internal/source", "internal/auth", "internal/audit",
}

// layers says, for each low package (and every package under it), which of
// ours it may never depend on, directly or not.
var layers = []struct {
	pkg       string
	forbidden []string
}{
	{"internal/catalog", []string{"internal/"}}, // the vocabulary imports nothing of ours
	{"internal/repofs", append([]string{"internal/extract", "internal/gitrepo", "internal/safefs"}, high...)},
	{"internal/gitrepo", append([]string{"internal/extract"}, high...)},
	{"internal/safefs", append([]string{"internal/extract"}, high...)},
	{"internal/extract", high},
	{"internal/license", high},
	{"internal/vuln", high},
	{"internal/scorecard", high},
	{"internal/sbom", high},
	{"internal/gate", high},
	{"internal/report", high},
	{"internal/query", high},
	{"internal/identity", high},
	{"internal/expertise", high},
	{"internal/config", high},
	{"internal/analyze", []string{"internal/store", "internal/scan", "internal/hub", "internal/cli"}},
	{"internal/scan", []string{"internal/store", "internal/hub", "internal/cli"}},
	{"internal/store", []string{"internal/analyze", "internal/scan", "internal/hub", "internal/cli", "internal/extract"}},
	{"internal/hub", []string{"internal/cli"}},
	{"internal/audit", []string{"internal/store", "internal/auth", "internal/hub", "internal/cli", "internal/scan", "internal/analyze"}},
	{"internal/auth", []string{"internal/hub", "internal/cli", "internal/scan", "internal/analyze"}},
	{"internal/teams", high},
	{"internal/sourcesync", high}, // sources implement it; it never reaches a store or a source
	{"internal/mirror", high},
	{"internal/goldenpath", high}, // values in, files out: no store, no git, no pipeline
	{"internal/innersource", high},
	{"internal/secrets", high}, // text and git history in, findings out
	{"internal/governance", append([]string{"internal/notify"}, high...)}, // vocabulary and rules: values in, values out
	{"internal/notify", high},
	{"internal/govern", []string{"internal/hub", "internal/cli"}},                 // the workflow: store, pipeline and notify in, no front end
	{"internal/recommend", high},                                                  // recommenders and their evaluation: values in, values out
	{"internal/jobs", []string{"internal/store", "internal/hub", "internal/cli"}}, // the queue: handlers are wired by cli
	{"internal/events", high},                                                     // derives from commits and values; the scan hands it a store interface
	{"internal/openbadge", high},                                                  // credentials in and out: no store, no hub
	{"internal/health", high},                                                     // CHAOSS metrics: values in, values out
	{"internal/healthdigest", []string{"internal/scan", "internal/analyze", "internal/hub", "internal/cli"}}, // store and notify in, reports through a function: no pipeline, no front end
	{"internal/inbox", high},
	{"internal/docset", high}, // Markdown pages read from a git commit: values out, no store, no front end                                                      // items derived from values; providers read through interfaces
}

type pkgInfo struct {
	imports, deps []string
}

// listPackages runs go list over the module: each package's direct imports
// and all its dependencies, as module-relative paths.
func listPackages(t *testing.T) map[string]pkgInfo {
	t.Helper()
	cmd := exec.Command("go", "list", "-deps=false", "-f", "{{.ImportPath}}|{{join .Imports \" \"}}|{{join .Deps \" \"}}", "../...")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	ours := func(list string) []string {
		var r []string
		for _, p := range strings.Fields(list) {
			if strings.HasPrefix(p, module) {
				r = append(r, strings.TrimPrefix(p, module))
			}
		}
		return r
	}
	pkgs := map[string]pkgInfo{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		parts := strings.SplitN(sc.Text(), "|", 3)
		if len(parts) != 3 {
			continue
		}
		pkgs[strings.TrimPrefix(parts[0], module)] = pkgInfo{imports: ours(parts[1]), deps: ours(parts[2])}
	}
	if len(pkgs) == 0 {
		t.Fatalf("go list found no packages:\n%s", out)
	}
	return pkgs
}

// under reports whether pkg is p or below it.
func under(pkg, p string) bool {
	return pkg == p || strings.HasPrefix(pkg, p+"/") || (strings.HasSuffix(p, "/") && strings.HasPrefix(pkg, p))
}

func TestLayers(t *testing.T) {
	pkgs := listPackages(t)
	// The listing works: the pipeline reaches the extractors.
	if deps := pkgs["internal/analyze"].deps; !containsUnder(deps, "internal/extract/deps") || !containsUnder(deps, "internal/catalog") {
		t.Fatalf("internal/analyze's dependencies look wrong: %v", deps)
	}
	checked := 0
	for _, l := range layers {
		for name, info := range pkgs {
			if !under(name, l.pkg) {
				continue
			}
			checked++
			for _, dep := range info.deps {
				for _, f := range l.forbidden {
					if under(dep, f) && !under(dep, l.pkg) {
						t.Errorf("%s depends on %s: a low package must not reach %s", name, dep, f)
					}
				}
			}
		}
	}
	if checked < len(layers) {
		t.Errorf("only %d packages checked for %d layers: is the layout in layers_test.go out of date?", checked, len(layers))
	}
}

// TestCLIReachesExtractorsThroughThePipeline: internal/cli flags, renders
// and wires; it imports no extractor (it calls analyze).
func TestCLIReachesExtractorsThroughThePipeline(t *testing.T) {
	pkgs := listPackages(t)
	cli, ok := pkgs["internal/cli"]
	if !ok {
		t.Fatal("internal/cli not listed")
	}
	for _, imp := range cli.imports {
		if under(imp, "internal/extract") || imp == "internal/gitrepo" || imp == "internal/safefs" {
			t.Errorf("internal/cli imports %s: read a repository through internal/analyze", imp)
		}
	}
}

// TestUnderCatchesSubpackages keeps the matcher above honest.
func TestUnderCatchesSubpackages(t *testing.T) {
	for _, tt := range []struct {
		pkg, p string
		want   bool
	}{
		{"internal/store/sqlite", "internal/store", true},
		{"internal/store", "internal/store", true},
		{"internal/storefront", "internal/store", false},
		{"internal/hub/estate", "internal/", true},
		{"internal/scan", "internal/scanner", false},
	} {
		if got := under(tt.pkg, tt.p); got != tt.want {
			t.Errorf("under(%q, %q) = %v", tt.pkg, tt.p, got)
		}
	}
}

func containsUnder(deps []string, p string) bool {
	for _, d := range deps {
		if under(d, p) {
			return true
		}
	}
	return false
}
