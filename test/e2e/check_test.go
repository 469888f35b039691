package e2e

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const checkPackageJSON = `{"name":"%s","version":"1.0.0","license":"MIT","dependencies":{"lodash":"^4.17.21"%s},"devDependencies":{"agpl-tool":"2.0.0"}}`

// checkLock is a package-lock.json whose entries record licences; gpl adds
// a runtime GPL dependency.
func checkLock(gpl bool) string {
	extra := ""
	if gpl {
		extra = `,
"node_modules/gpl-lib":{"version":"1.0.0","license":"GPL-3.0-only"}`
	}
	return `{"name":"app","version":"1.0.0","lockfileVersion":3,"requires":true,"packages":{
"":{"name":"app","version":"1.0.0"},
"node_modules/lodash":{"version":"4.17.21","license":"MIT"},
"node_modules/agpl-tool":{"version":"2.0.0","dev":true,"license":"AGPL-3.0-or-later"}` + extra + `}}
`
}

func checkRepo(t *testing.T, dir string, gpl bool) {
	t.Helper()
	initRepo(t, dir)
	deps := ""
	if gpl {
		deps = `,"gpl-lib":"1.0.0"`
	}
	write(t, filepath.Join(dir, "package.json"), strings.Replace(strings.Replace(checkPackageJSON, "%s", filepath.Base(dir), 1), "%s", deps, 1))
	write(t, filepath.Join(dir, "package-lock.json"), checkLock(gpl))
	write(t, filepath.Join(dir, "LICENSE"), mitText)
	commit(t, dir, "Ann Lee", "ann@acme.example", "2024-05-01T10:00:00Z", "init")
}

const mitText = `MIT License

Copyright (c) 2024 Acme

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
`

// TestCheck runs `ospo check` as a CI pipeline would: exit 1 on a runtime
// GPL dependency, 0 when copyleft is only in dev dependencies, SARIF and
// JUnit that parse, exceptions from ospo.yaml, then `licenses --all` from
// the catalogue after a scan.
func TestCheck(t *testing.T) {
	root := t.TempDir()
	bad, good := filepath.Join(root, "bad"), filepath.Join(root, "good")
	checkRepo(t, bad, true)
	checkRepo(t, good, false)
	noConfig := []string{"OSPO_CONFIG=" + filepath.Join(root, "none.yaml")}
	write(t, filepath.Join(root, "none.yaml"), "{}\n")

	r := run(t, noConfig, "check", bad)
	if r.code != 1 || !strings.Contains(r.stdout, "license/strong-copyleft") || !strings.Contains(r.stdout, "package-lock.json:") {
		t.Errorf("check bad: exit %d, want 1\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = run(t, noConfig, "check", good)
	if r.code != 0 || !strings.Contains(r.stdout, "network-copyleft") {
		t.Errorf("check good: exit %d, want 0 with the dev AGPL reported\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := run(t, noConfig, "check", filepath.Join(root, "missing")); r.code != 2 {
		t.Errorf("check of a missing directory: exit %d, want 2", r.code)
	}
	if r := run(t, noConfig, "check", good, "--format", "xml"); r.code != 2 {
		t.Errorf("check --format xml: exit %d, want 2", r.code)
	}

	r = run(t, noConfig, "check", bad, "--format", "sarif")
	var sarif struct {
		Version string
		Runs    []struct {
			Results []struct {
				RuleID    string
				Level     string
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           struct{ StartLine int }
					}
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &sarif); err != nil || r.code != 1 {
		t.Fatalf("sarif: exit %d, %v\n%s", r.code, err, r.stdout)
	}
	found := false
	for _, res := range sarif.Runs[0].Results {
		if res.RuleID == "license/strong-copyleft" && res.Level == "error" {
			loc := res.Locations[0].PhysicalLocation
			found = loc.ArtifactLocation.URI == "package-lock.json" && loc.Region.StartLine == 5
		}
	}
	if sarif.Version != "2.1.0" || !found {
		t.Errorf("sarif results = %+v, want a strong-copyleft error at package-lock.json:5", sarif)
	}

	r = run(t, noConfig, "check", bad, "--format", "junit")
	var junit struct {
		Suites []struct {
			Tests    int `xml:"tests,attr"`
			Failures int `xml:"failures,attr"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal([]byte(r.stdout), &junit); err != nil || r.code != 1 {
		t.Fatalf("junit: exit %d, %v\n%s", r.code, err, r.stdout)
	}
	if len(junit.Suites) != 1 || junit.Suites[0].Failures != 1 || junit.Suites[0].Tests != 4 {
		t.Errorf("junit = %+v, want one suite of 4 cases with 1 failure", junit)
	}

	// An approved exception lets the build pass; once expired it no longer does.
	cfg := filepath.Join(root, "ospo.yaml")
	write(t, cfg, `licensing:
  exceptions:
    - package: pkg:npm/gpl-lib
      versions: ">=1.0.0, <2.0.0"
      reason: CLI-only tool, not distributed
      approved_by: legal@acme.example
      expires: 2999-12-31
`)
	if r := run(t, []string{"OSPO_CONFIG=" + cfg}, "check", bad); r.code != 0 || !strings.Contains(r.stdout, "suppressed") {
		t.Errorf("check with an exception: exit %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
	}
	write(t, cfg, strings.Replace(mustRead(t, cfg), "2999-12-31", "2001-01-01", 1))
	if r := run(t, []string{"OSPO_CONFIG=" + cfg}, "check", bad); r.code != 1 || !strings.Contains(r.stdout, "license/exception-expired") {
		t.Errorf("check with an expired exception: exit %d, want 1\n%s%s", r.code, r.stdout, r.stderr)
	}
	write(t, cfg, "licensing:\n  rules:\n    - deny: [purple]\n")
	if r := run(t, []string{"OSPO_CONFIG=" + cfg}, "check", bad); r.code != 2 {
		t.Errorf("check with a bad policy: exit %d, want 2\n%s", r.code, r.stderr)
	}

	r = run(t, noConfig, "licenses", bad, "--format", "json")
	if r.code != 0 || !strings.Contains(r.stdout, `"GPL-3.0-only"`) || !strings.Contains(r.stdout, `"expression": "MIT"`) {
		t.Errorf("licenses: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = run(t, noConfig, "notice", bad)
	if r.code != 0 || !strings.Contains(r.stdout, "## GPL-3.0-only") || strings.Contains(r.stdout, "agpl-tool") {
		t.Errorf("notice: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	for name, dsn := range stores(t) {
		t.Run(name, func(t *testing.T) {
			if name == "postgres" {
				dsn = freshPostgres(t, dsn)
			}
			env := append([]string{"OSPO_DB=" + dsn}, noConfig...)
			if r := run(t, env, "scan", root); r.code != 0 {
				t.Fatalf("scan: %d %s %s", r.code, r.stdout, r.stderr)
			}
			r := run(t, env, "licenses", "--all", "--format", "json")
			var sum struct {
				ProjectLicenses []struct {
					Name     string
					Projects int
				} `json:"project_licenses"`
				Categories []struct {
					Name     string
					Projects int
				}
				InViolation []struct{ Project string } `json:"in_violation"`
			}
			if err := json.Unmarshal([]byte(r.stdout), &sum); err != nil {
				t.Fatalf("licenses --all: %v\n%s%s", err, r.stdout, r.stderr)
			}
			if len(sum.ProjectLicenses) != 1 || sum.ProjectLicenses[0].Name != "MIT" || sum.ProjectLicenses[0].Projects != 2 {
				t.Errorf("project licences = %+v, want MIT for both", sum.ProjectLicenses)
			}
			if len(sum.InViolation) != 1 || sum.InViolation[0].Project != "bad" {
				t.Errorf("in violation = %+v, want bad", sum.InViolation)
			}
			r = run(t, env, "licenses", "good")
			if r.code != 0 || !strings.Contains(r.stdout, "AGPL-3.0-or-later") {
				t.Errorf("licenses good from the catalogue: exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
		})
	}
}

func mustRead(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
