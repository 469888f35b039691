package hub_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/hub"
	"github.com/ospo-project/ospo/internal/vuln"
)

// riskFixture is a store holding two projects with licences, licence
// findings and vulnerable dependencies, and real OSV advisories imported
// through the store API.
type riskFixture struct {
	srv           *httptest.Server
	ledger, front string // project IDs
}

func newRiskFixture(t *testing.T, open opener) riskFixture {
	t.Helper()
	ctx := context.Background()
	st := open(t)
	ledger := &catalog.Project{
		Key: "github.com/acme/ledger", Name: "ledger", Path: "/src/ledger", HeadCommit: strings.Repeat("c", 40), HeadDate: t0,
		Languages: []catalog.Language{{Name: "Go", Bytes: 100, Files: 1}},
		License: &catalog.ProjectLicense{Expression: "MIT", Confidence: 0.98, Evidence: []catalog.LicenseEvidence{
			{File: "LICENSE", License: "MIT", Coverage: 99, Confidence: 0.98, Source: catalog.LicenseSourceFile}}},
		Dependencies: []catalog.Dependency{
			{PURL: "pkg:golang/github.com/spf13/cobra@v1.8.0", Ecosystem: "Go", Name: "github.com/spf13/cobra", Version: "v1.8.0",
				Direct: true, Manifest: "go.mod", DependsOn: []string{"pkg:golang/gopkg.in/yaml.v2@v2.2.2"}},
			{PURL: "pkg:golang/gopkg.in/yaml.v2@v2.2.2", Ecosystem: "Go", Name: "gopkg.in/yaml.v2", Version: "v2.2.2", Manifest: "go.mod"},
			{PURL: "pkg:golang/example.com/copyleft@v1.0.0", Ecosystem: "Go", Name: "example.com/copyleft", Version: "v1.0.0",
				Direct: true, Manifest: "go.mod"},
		},
		DependencyLicenses: []catalog.DependencyLicense{
			{PURL: "pkg:golang/github.com/spf13/cobra@v1.8.0", Manifest: "go.mod", Expression: "Apache-2.0", Source: catalog.LicenseSourceCache, Category: "permissive"},
			{PURL: "pkg:golang/gopkg.in/yaml.v2@v2.2.2", Manifest: "go.mod", Expression: "Apache-2.0 AND MIT", Source: catalog.LicenseSourceCache, Category: "permissive"},
			{PURL: "pkg:golang/example.com/copyleft@v1.0.0", Manifest: "go.mod", Expression: "GPL-3.0-only", Source: catalog.LicenseSourceCache, Category: "strong-copyleft"},
		},
		LicenseFindings: []catalog.LicenseFinding{{Severity: catalog.SeverityViolation, Rule: "license/strong-copyleft",
			PURL: "pkg:golang/example.com/copyleft@v1.0.0", Manifest: "go.mod", License: "GPL-3.0-only", Category: "strong-copyleft",
			Message: "GPL-3.0-only is strong copyleft <b>not allowed</b>", Remediation: "replace example.com/copyleft"}},
		Commits: 3, ScannerVersion: catalog.ScannerVersion, ScannedAt: t0,
	}
	front := &catalog.Project{
		Key: "github.com/acme/front", Name: "front", Path: "/src/front", HeadCommit: strings.Repeat("d", 40), HeadDate: t0,
		Languages: []catalog.Language{{Name: "TypeScript", Bytes: 100, Files: 1}},
		License:   &catalog.ProjectLicense{Expression: catalog.LicenseUnknown},
		Dependencies: []catalog.Dependency{
			{PURL: "pkg:npm/lodash@4.17.20", Ecosystem: "npm", Name: "lodash", Version: "4.17.20", Direct: true, Manifest: "package-lock.json"},
		},
		DependencyLicenses: []catalog.DependencyLicense{
			{PURL: "pkg:npm/lodash@4.17.20", Manifest: "package-lock.json", Expression: "MIT", Source: catalog.LicenseSourceLockfile, Category: "permissive"},
		},
		LicenseFindings: []catalog.LicenseFinding{{Severity: catalog.SeverityWarning, Rule: "license/unknown", License: catalog.LicenseUnknown,
			Category: "unknown", Message: "the project's licence is unknown"}},
		Commits: 2, ScannerVersion: catalog.ScannerVersion, ScannedAt: t0,
	}
	var f riskFixture
	for _, p := range []struct {
		p  *catalog.Project
		id *string
	}{{ledger, &f.ledger}, {front, &f.front}} {
		id, err := st.ReplaceProject(ctx, p.p)
		if err != nil {
			t.Fatal(err)
		}
		*p.id = strconv.FormatInt(id, 10)
	}
	var files []string
	for _, id := range []string{"GO-2020-0036", "GO-2021-0061", "GO-2022-0956", "GHSA-35jh-r3h4-6jhm", "GHSA-jfh8-c2jp-5v3q"} {
		files = append(files, "../vuln/testdata/osv/"+id+".json")
	}
	advs, rep, err := vuln.Load(files)
	if err != nil || rep.SkippedTotal() != 0 || len(advs) != 5 {
		t.Fatalf("load advisories: %d, %v, %v", len(advs), rep.Examples, err)
	}
	if _, err := st.UpsertAdvisories(ctx, advs); err != nil {
		t.Fatal(err)
	}
	h, err := hub.New(st, slog.New(slog.DiscardHandler),
		hub.WithVulnIgnores([]vuln.Ignore{{ID: "GO-2022-0956", Reason: "not reachable", ApprovedBy: "sec"}}))
	if err != nil {
		t.Fatal(err)
	}
	f.srv = httptest.NewServer(h)
	t.Cleanup(f.srv.Close)
	return f
}

func TestRiskAPI(t *testing.T) { eachStore(t, testRiskAPI) }

func testRiskAPI(t *testing.T, open opener) {
	f := newRiskFixture(t, open)
	tests := []struct {
		name   string
		path   string
		status int
		want   map[string]string
	}{
		{"estate counts", "/api/v1/estate", 200, map[string]string{
			"license_categories.0.name": "permissive", "license_categories.0.dependencies": "3", "license_categories.0.projects": "2",
			"license_categories.1.name": "strong-copyleft", "license_categories<len>": "2",
			"vulnerabilities.critical": "0", "vulnerabilities.high": "1", "vulnerabilities.medium": "0", "vulnerabilities.unknown": "2",
			"vulnerabilities.suppressed": "1", "vulnerabilities.projects": "2"}},
		{"project licences", "/api/v1/projects/" + f.ledger + "/licenses", 200, map[string]string{
			"project": "ledger", "license.expression": "MIT", "license.evidence.0.file": "LICENSE", "license.evidence.0.source": "file",
			"status": "ok", "findings<len>": "0", "dependencies<len>": "3",
			"dependencies.0.name": "example.com/copyleft", "dependencies.0.category": "strong-copyleft", "dependencies.0.status": "violation",
			"dependencies.0.findings.0.rule": "license/strong-copyleft", "dependencies.0.findings.0.remediation": "replace example.com/copyleft",
			"dependencies.1.name": "github.com/spf13/cobra", "dependencies.1.expression": "Apache-2.0", "dependencies.1.status": "ok",
			"dependencies.2.direct": "false", "dependencies.2.expression": "Apache-2.0 AND MIT",
			"statuses.ok": "2", "statuses.violation": "1"}},
		{"project licences, own licence in question", "/api/v1/projects/" + f.front + "/licenses", 200, map[string]string{
			"license.expression": "unknown", "status": "warning", "findings.0.rule": "license/unknown", "dependencies.0.status": "ok"}},
		{"project licences unknown", "/api/v1/projects/999/licenses", 404, map[string]string{"error": "not found"}},
		{"project vulnerabilities", "/api/v1/projects/" + f.ledger + "/vulnerabilities", 200, map[string]string{
			"project": "ledger", "findings<len>": "3", "counts.suppressed": "1", "counts.projects": "1",
			"counts.unknown": "2", "findings.0.package": "gopkg.in/yaml.v2", "findings.0.direct": "false", "findings.0.fixed_in": "2.2.8",
			"findings.2.id": "GO-2022-0956", "findings.2.suppressed": "true", "findings.2.reason": "not reachable (approved by sec)",
			"findings.0.via": "github.com/spf13/cobra@v1.8.0",
			"upgrades<len>":  "1", "upgrades.0.package": "gopkg.in/yaml.v2", "upgrades.0.version": "v2.2.2",
			"upgrades.0.to": "2.2.8", "upgrades.0.fixes": "2", "upgrades.0.via": "github.com/spf13/cobra@v1.8.0"}},
		{"project vulnerabilities, direct", "/api/v1/projects/" + f.front + "/vulnerabilities", 200, map[string]string{
			"findings<len>": "1", "findings.0.id": "GHSA-35jh-r3h4-6jhm", "findings.0.fixed_in": "4.17.21", "findings.0.direct": "true",
			"upgrades.0.to": "4.17.21", "counts.high": "1"}},
		{"project vulnerabilities unknown", "/api/v1/projects/x/vulnerabilities", 404, nil},
		{"licences", "/api/v1/licenses", 200, map[string]string{
			"project_licenses<len>": "2", "dependency_licenses<len>": "4", "categories.0.name": "permissive",
			"in_violation<len>": "1", "in_violation.0.project": "ledger", "in_violation.0.violations": "1"}},
		{"vulnerabilities", "/api/v1/vulnerabilities", 200, map[string]string{
			"counts.high": "1", "counts.suppressed": "1", "counts.projects": "2",
			"projects.total": "2", "projects.items.0.project": "front", "projects.items.0.score": "100",
			"projects.items.1.project": "ledger", "projects.items.1.suppressed": "1"}},
		{"vulnerabilities high or worse", "/api/v1/vulnerabilities?severity=high", 200, map[string]string{
			"severity": "high", "projects.total": "1", "projects.items.0.project": "front", "counts.projects": "1"}},
		{"vulnerabilities paged", "/api/v1/vulnerabilities?limit=1&offset=1", 200, map[string]string{
			"projects.items<len>": "1", "projects.items.0.project": "ledger", "projects.more": "false"}},
		{"vulnerabilities bad severity", "/api/v1/vulnerabilities?severity=dire", 400, map[string]string{
			"error": `unknown severity "dire" (want critical, high, medium or low)`}},
		{"technology advisories", "/api/v1/technologies/pkg:golang%2Fgopkg.in%2Fyaml.v2", 200, map[string]string{
			"advisories<len>": "3", "advisories.0.affected_versions.0.version": "v2.2.2", "advisories.0.affected_versions.0.projects": "1"}},
		{"technology advisories, fixed version in use", "/api/v1/technologies/pkg:npm%2Flodash", 200, map[string]string{
			"advisories<len>": "1", "advisories.0.id": "GHSA-35jh-r3h4-6jhm", "advisories.0.affected_versions.0.fixed_in": "4.17.21"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, f.srv, "GET", tc.path)
			if r.status != tc.status {
				t.Fatalf("GET %s = %d, want %d\n%s", tc.path, r.status, tc.status, r.body)
			}
			checkJSON(t, tc.path, r.body, tc.want)
		})
	}
}

func TestRiskPages(t *testing.T) { eachStore(t, testRiskPages) }

func testRiskPages(t *testing.T, open opener) {
	f := newRiskFixture(t, open)
	tests := []struct {
		name          string
		path          string
		want, notWant []string
	}{
		{"overview", "/", []string{"<h2>Licences</h2>", `aria-label="Dependency uses by licence category"`, "<title>permissive: 3</title>",
			"<td>strong-copyleft</td>", "Projects in violation of the licence policy", `<a href="/projects/` + f.ledger + `">ledger</a>`,
			"<h2>Vulnerabilities</h2>", `<td class="num sev-high">1</td>`, "Most exposed projects", `<a href="/projects/` + f.front + `">front</a>`}, nil},
		{"project", "/projects/" + f.ledger, []string{"<h2>Licence</h2>", "<strong>MIT</strong>", "confidence 98%", `policy <span class="status-ok">ok</span>`,
			"<td>LICENSE</td><td>MIT</td><td>file</td><td class=\"num\">99%</td>",
			"<td>GPL-3.0-only <span class=\"muted small\">strong-copyleft</span></td>", `<td class="status-violation">violation`,
			"GPL-3.0-only is strong copyleft &lt;b&gt;not allowed&lt;/b&gt;",
			"<h2>Vulnerabilities</h2>", "<h3>Upgrades</h3>", "<td>gopkg.in/yaml.v2</td><td>v2.2.2</td><td><strong>2.2.8</strong> <span class=\"small\">(comes through github.com/spf13/cobra@v1.8.0)</span>",
			"GO-2020-0036", "transitive via github.com/spf13/cobra@v1.8.0", "not reachable (approved by sec)", ">suppressed<"},
			[]string{"<b>not allowed</b>"}},
		{"project with everything", "/projects/" + f.ledger + "?deps=all", []string{"<td>Apache-2.0 AND MIT <span class=\"muted small\">permissive</span></td>"}, nil},
		{"project without licence findings", "/projects/" + f.front, []string{"<strong>unknown</strong>", `<span class="status-warning">warning</span>`,
			"the project&#39;s licence is unknown", "GHSA-35jh-r3h4-6jhm", "<strong>4.17.21</strong>", `class="sev-high"`}, nil},
		{"technology", "/technologies/pkg:npm%2Flodash", []string{"<h2>Advisories</h2>", "GHSA-35jh-r3h4-6jhm", "4.17.20 (1 projects): fixed in <strong>4.17.21</strong>"}, nil},
		{"technology without advisories", "/technologies/pkg:golang%2Fgithub.com%2Fspf13%2Fcobra", []string{"No known advisories."}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, f.srv, "GET", tc.path)
			if r.status != 200 {
				t.Fatalf("GET %s = %d\n%s", tc.path, r.status, r.body)
			}
			for _, s := range tc.want {
				if !strings.Contains(r.body, s) {
					t.Errorf("GET %s: body does not contain %q\n%s", tc.path, s, r.body)
				}
			}
			for _, s := range tc.notWant {
				if strings.Contains(r.body, s) {
					t.Errorf("GET %s: body contains %q", tc.path, s)
				}
			}
		})
	}
}
