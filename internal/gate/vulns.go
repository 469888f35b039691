package gate

import (
	"fmt"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/report"
	"github.com/ospo-project/ospo/internal/vuln"
)

// Vulnerabilities is the known-vulnerability gate: each finding (from the
// pipeline) is a result; an unsuppressed one at or above failOn fails. With
// failOn "" nothing fails and each result's level follows its severity
// (critical and high: error, medium: warning, else note), as `ospo vulns`
// reports them. dir is the work tree findings are located in ("" for none).
func Vulnerabilities(fs []catalog.VulnFinding, failOn, dir string) Result {
	g := Result{Name: "vulnerabilities", Detail: nonNil(fs)}
	rules := map[string]bool{}
	failing, suppressed := 0, 0
	for i := range fs {
		f := &fs[i]
		fails := failOn != "" && !f.Suppressed && vuln.AtLeast(f, failOn)
		level := severityLevel(f.Severity.Rating)
		if failOn != "" {
			level = report.LevelWarning
			if fails {
				level = report.LevelError
			}
		}
		if fails {
			failing++
		}
		if f.Suppressed {
			suppressed++
		}
		if !rules[f.AdvisoryID] {
			rules[f.AdvisoryID] = true
			g.Rules = append(g.Rules, vulnRule(f))
		}
		msg := fmt.Sprintf("%s@%s is affected by %s: %s (%s)", f.Package, f.Version, f.AdvisoryID, orText(f.Summary, "no summary"), SeverityText(f.Severity))
		if f.FixedIn != "" {
			msg += "; fixed in " + f.FixedIn
		}
		if !f.Direct && f.Via != "" {
			msg += "; comes through " + f.Via
		}
		reason := ""
		if f.Suppressed {
			reason = orText(f.Reason, "ignored in ospo.yaml")
		}
		g.Findings = append(g.Findings, report.Finding{RuleID: f.AdvisoryID, Level: level, Message: msg, File: f.Manifest,
			Line: ManifestLine(dir, f.Manifest, f.Package), Suppressed: reason})
		tc := report.TestCase{Class: "vulnerability." + f.Ecosystem, Name: f.AdvisoryID + " " + f.Package + "@" + f.Version}
		if fails {
			tc.Failure, tc.FailureType = msg, f.AdvisoryID
		}
		g.Cases = append(g.Cases, tc)
	}
	g.Violations = failing
	g.Summary = fmt.Sprintf("%d known vulnerabilities, %d at or above %s, %d suppressed", len(fs), failing, failOn, suppressed)
	return g
}

// vulnRule is the rule of one advisory.
func vulnRule(f *catalog.VulnFinding) report.Rule {
	props := map[string]any{"tags": []string{"security", "vulnerability"}}
	if f.Severity.Score > 0 {
		props["security-severity"] = fmt.Sprintf("%.1f", f.Severity.Score)
	}
	if len(f.Aliases) > 0 {
		props["aliases"] = f.Aliases
	}
	return report.Rule{ID: f.AdvisoryID, Name: "KnownVulnerability", Short: orText(f.Summary, "Known vulnerability "+f.AdvisoryID),
		Level: severityLevel(f.Severity.Rating), HelpURI: "https://osv.dev/vulnerability/" + f.AdvisoryID, Properties: props,
		Help: "Upgrade " + f.Package + " to a fixed version (" + orText(f.FixedIn, "none known") + "), or record an ignore rule with a reason in ospo.yaml."}
}

func severityLevel(rating string) string {
	switch catalog.SeverityRank(rating) {
	case 4, 3:
		return report.LevelError
	case 2:
		return report.LevelWarning
	}
	return report.LevelNote
}

// SeverityText renders a severity as "HIGH 7.5" or the rating alone.
func SeverityText(s catalog.Severity) string {
	switch {
	case s.Rating == "":
		return "UNKNOWN"
	case s.Score > 0:
		return fmt.Sprintf("%s %.1f", s.Rating, s.Score)
	}
	return s.Rating
}
