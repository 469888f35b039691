package e2e

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// TestVulns scans repositories, imports real OSV records (the vuln
// package's testdata, plus broken files), and asks which projects an
// advisory touches, per project and across the estate, with exit codes.
func TestVulns(t *testing.T) {
	root := t.TempDir()
	for i, v := range []string{"2.14.1", "2.17.1"} {
		dir := filepath.Join(root, fmt.Sprintf("svc-%d", i))
		initRepo(t, dir)
		write(t, filepath.Join(dir, "pom.xml"), fmt.Sprintf(pomTmpl, fmt.Sprintf("svc-%d", i), v))
		if i == 0 {
			write(t, filepath.Join(dir, "web", "package.json"), packageJSON)
			write(t, filepath.Join(dir, "web", "package-lock.json"), packageLock)
		}
		commit(t, dir, "Ann Lee", fmt.Sprintf("ann%d@acme.example", i), "2024-05-01T10:00:00Z", "init")
	}
	testdata, _ := filepath.Abs("../../internal/vuln/testdata")
	cfg := filepath.Join(t.TempDir(), "ospo.yaml")
	write(t, cfg, "vulns:\n  ignore:\n    - id: CVE-2021-23337\n      package: lodash\n      reason: template() not used\n      approved_by: security\n      expires: 2999-01-01\n")
	for name, dsn := range stores(t) {
		t.Run(name, func(t *testing.T) {
			if name == "postgres" {
				dsn = freshPostgres(t, dsn)
			}
			env := []string{"OSPO_DB=" + dsn}
			if r := run(t, env, "scan", root); r.code != 0 {
				t.Fatalf("scan: %d %s %s", r.code, r.stdout, r.stderr)
			}
			r := run(t, env, "advisories", "import", filepath.Join(testdata, "osv"), filepath.Join(testdata, "broken"))
			if r.code != 0 || !strings.Contains(r.stdout, "skipped") || !strings.Contains(r.stdout, "malformed JSON") || !strings.Contains(r.stdout, "corrupt zip") {
				t.Fatalf("import: %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			if r := run(t, env, "advisories", "import", filepath.Join(testdata, "osv")); !strings.Contains(r.stdout, "0 added, 0 updated") {
				t.Errorf("re-import is not incremental:\n%s", r.stdout)
			}
			r = run(t, env, "advisories", "status")
			if r.code != 0 || !strings.Contains(r.stdout, "Maven") || !strings.Contains(r.stdout, "Go") {
				t.Errorf("status: %d\n%s%s", r.code, r.stdout, r.stderr)
			}

			r = run(t, env, "vuln", "CVE-2021-44228", "--format", "json")
			var rep struct {
				Advisory struct{ ID string }
				Projects []struct {
					Project  string
					Findings []struct {
						Version string
						FixedIn string `json:"fixed_in"`
						Direct  bool
					}
				}
				People []struct{ Name string }
			}
			if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
				t.Fatalf("vuln json: %v\n%s%s", err, r.stdout, r.stderr)
			}
			if rep.Advisory.ID != "GHSA-jfh8-c2jp-5v3q" || len(rep.Projects) != 1 || rep.Projects[0].Project != "svc-0" ||
				rep.Projects[0].Findings[0].FixedIn != "2.15.0" || !rep.Projects[0].Findings[0].Direct {
				t.Errorf("vuln CVE-2021-44228 = %+v", rep)
			}
			if len(rep.People) != 1 || rep.People[0].Name != "Ann Lee" {
				t.Errorf("people = %+v", rep.People)
			}
			if r := run(t, env, "vuln", "CVE-0000-0000"); r.code != 2 {
				t.Errorf("vuln unknown: exit %d, want 2", r.code)
			}

			// Per project, with the ignore rule shown as suppressed.
			r = run(t, env, "--config", cfg, "vulns", "svc-0")
			if r.code != 0 || !strings.Contains(r.stdout, "GHSA-jfh8-c2jp-5v3q") || !strings.Contains(r.stdout, "suppressed") ||
				!strings.Contains(r.stdout, "template() not used (approved by security)") {
				t.Errorf("vulns svc-0: %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			if r := run(t, env, "--config", cfg, "vulns", "svc-0", "--fail-on", "critical"); r.code != 1 {
				t.Errorf("vulns --fail-on critical: exit %d, want 1\n%s", r.code, r.stderr)
			}
			if r := run(t, env, "--config", cfg, "vulns", "svc-1", "--fail-on", "low"); r.code != 0 {
				t.Errorf("vulns svc-1 --fail-on low: exit %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
			}
			// lodash (high) is suppressed: only log4j (critical) fails a high gate.
			r = run(t, env, "--config", cfg, "vulns", filepath.Join(root, "svc-0"), "--format", "sarif", "--severity", "high")
			if r.code != 0 || !strings.Contains(r.stdout, `"version": "2.1.0"`) || !strings.Contains(r.stdout, `"uri": "pom.xml"`) || !strings.Contains(r.stdout, `"suppressions"`) {
				t.Errorf("vulns PATH sarif: %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			// The CI gate: ospo check --fail-on joins the licence policy.
			r = run(t, env, "--config", cfg, "check", filepath.Join(root, "svc-0"), "--fail-on", "critical", "--format", "junit")
			if r.code != 1 || !strings.Contains(r.stdout, "CVE-2021-44228") && !strings.Contains(r.stdout, "GHSA-jfh8-c2jp-5v3q") {
				t.Errorf("check --fail-on critical: exit %d, want 1\n%s%s", r.code, r.stdout, r.stderr)
			}
			if r := run(t, env, "--config", cfg, "check", filepath.Join(root, "svc-1"), "--fail-on", "low"); r.code != 0 {
				t.Errorf("check svc-1 --fail-on low: exit %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
			}
			r = run(t, env, "vulns", "--all")
			if r.code != 0 || !strings.Contains(r.stdout, "svc-0") || strings.Contains(r.stdout, "svc-1") {
				t.Errorf("vulns --all: %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			if r := run(t, env, "vulns", "svc-0", "--severity", "bogus"); r.code != 2 {
				t.Errorf("bad --severity: exit %d, want 2", r.code)
			}
		})
	}
}
