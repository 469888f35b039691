package gate

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/license"
	"github.com/ospo-project/ospo/internal/report"
)

func TestVulnerabilities(t *testing.T) {
	fs := []catalog.VulnFinding{
		{AdvisoryID: "GHSA-crit", Severity: catalog.Severity{Rating: "CRITICAL", Score: 9.8}, Package: "a", Version: "1", Manifest: "go.mod", Direct: true},
		{AdvisoryID: "GHSA-med", Severity: catalog.Severity{Rating: "MEDIUM"}, Package: "b", Version: "2", Via: "a@1"},
		{AdvisoryID: "GHSA-high", Severity: catalog.Severity{Rating: "HIGH"}, Package: "c", Version: "3", Suppressed: true, Reason: "not reachable"},
	}
	tests := []struct {
		failOn     string
		levels     []string
		violations int
	}{
		{"", []string{report.LevelError, report.LevelWarning, report.LevelError}, 0}, // by severity, as `ospo vulns`
		{"critical", []string{report.LevelError, report.LevelWarning, report.LevelWarning}, 1},
		{"medium", []string{report.LevelError, report.LevelError, report.LevelWarning}, 2}, // suppressed never fails
	}
	for _, tt := range tests {
		g := Vulnerabilities(fs, tt.failOn, "")
		var levels []string
		for _, f := range g.Findings {
			levels = append(levels, f.Level)
		}
		if diff := cmp.Diff(tt.levels, levels); diff != "" || g.Violations != tt.violations {
			t.Errorf("failOn %q: violations %d (want %d), levels (-want +got):\n%s", tt.failOn, g.Violations, tt.violations, diff)
		}
		if g.Findings[2].Suppressed != "not reachable" || g.Findings[1].Message != "b@2 is affected by GHSA-med: no summary (MEDIUM); comes through a@1" {
			t.Errorf("findings = %+v", g.Findings)
		}
		if p := g.Rules[0].Properties; p["security-severity"] != "9.8" {
			t.Errorf("rule properties = %v", p)
		}
	}
}

func TestLicensesLocatesFindings(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "package-lock.json"), []byte("{\n\"packages\": {\n\"node_modules/gpl-lib\": {}\n}}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p := &catalog.Project{Name: "app", Dependencies: []catalog.Dependency{{PURL: "pkg:npm/gpl-lib@1.0.0", Name: "gpl-lib", Version: "1.0.0", Manifest: "package-lock.json"}}}
	res := license.Result{
		Licenses: []catalog.DependencyLicense{{PURL: "pkg:npm/gpl-lib@1.0.0", Manifest: "package-lock.json", Expression: "GPL-3.0-only", Category: "strong-copyleft"}},
		Findings: []catalog.LicenseFinding{
			{Severity: catalog.SeverityViolation, Rule: "license/strong-copyleft", PURL: "pkg:npm/gpl-lib@1.0.0", Manifest: "package-lock.json", Message: "gpl-lib is GPL", Remediation: "Replace it."},
			{Severity: catalog.SeverityInfo, Rule: license.RuleProjectUnknown, Message: "no licence"},
		},
	}
	g := Licenses(p, res, dir)
	want := []report.Finding{
		{RuleID: "license/strong-copyleft", Level: report.LevelError, Message: "gpl-lib is GPL. Replace it.", File: "package-lock.json", Line: 3},
		{RuleID: license.RuleProjectUnknown, Level: report.LevelNote, Message: "no licence", File: "LICENSE"},
	}
	if diff := cmp.Diff(want, g.Findings); diff != "" || g.Violations != 1 || len(g.Cases) != 2 || g.Cases[1].Failure == "" {
		t.Errorf("violations %d, cases %+v, findings (-want +got):\n%s", g.Violations, g.Cases, diff)
	}
}

func TestScorecard(t *testing.T) {
	card := catalog.Scorecard{Score: 5.5, Checks: []catalog.CheckScore{
		{Name: "Security", Score: 4, Reason: "no policy"},
		{Name: "Tests", Score: -1},
		{Name: "Ownership", Score: 2, Exemption: &catalog.ScoreExemption{Reason: "reorganised"}},
	}}
	tests := []struct {
		min        Minimums
		violations int
		invalid    bool
	}{
		{Minimums{Score: 5}, 0, false},
		{Minimums{Score: 6}, 1, false},
		{Minimums{Checks: map[string]int{"Security": 5, "Tests": 5, "Ownership": 5}}, 1, false}, // n/a and exempt do not fail
		{Minimums{Checks: map[string]int{"Nope": 5}}, 0, true},
	}
	for _, tt := range tests {
		g, err := Scorecard(card, tt.min, nil)
		if tt.invalid {
			if !errors.Is(err, catalog.ErrInvalid) {
				t.Errorf("%+v: err = %v, want ErrInvalid", tt.min, err)
			}
			continue
		}
		if err != nil || g.Violations != tt.violations {
			t.Errorf("%+v: %d violations, %v; want %d", tt.min, g.Violations, err, tt.violations)
		}
	}
}
