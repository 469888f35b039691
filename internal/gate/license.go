package gate

import (
	"fmt"
	"strings"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/license"
	"github.com/ospo-project/ospo/internal/report"
)

// Licenses is the licence gate: the policy's findings about p's own licence
// and its dependencies' (res, from the pipeline), each unsuppressed
// violation failing. dir is the work tree findings are located in ("" for
// none).
func Licenses(p *catalog.Project, res license.Result, dir string) Result {
	g := Result{Name: "license", Violations: res.Violations()}
	rules := map[string]bool{}
	byDep := map[string][]catalog.LicenseFinding{}
	counts := map[string]int{}
	suppressed := 0
	for _, f := range res.Findings {
		if f.SuppressedBy != "" {
			suppressed++
		} else {
			counts[f.Severity]++
		}
		byDep[f.PURL+"\x00"+f.Manifest] = append(byDep[f.PURL+"\x00"+f.Manifest], f)
		if !rules[f.Rule] {
			rules[f.Rule] = true
			g.Rules = append(g.Rules, licenseRule(f))
		}
		gf := report.Finding{RuleID: f.Rule, Level: licenseLevel(f.Severity), Message: f.Message, File: f.Manifest,
			Suppressed: f.SuppressedBy}
		if f.PURL != "" {
			gf.Line = ManifestLine(dir, f.Manifest, depBareName(p, f.PURL))
		} else {
			gf.File = OwnLicenseFile(p)
		}
		if f.Remediation != "" {
			gf.Message += ". " + f.Remediation
		}
		g.Findings = append(g.Findings, gf)
	}
	// One JUnit case per dependency checked, and one for the project's licence.
	own := catalog.LicenseUnknown
	if p.License != nil {
		own = p.License.Expression
	}
	g.Cases = append(g.Cases, report.TestCase{Class: "license.project", Name: p.Name + " licence " + own})
	for _, c := range byDep["\x00"] {
		g.Cases[0].Output += c.Severity + ": " + c.Message + "\n"
	}
	for _, dl := range res.Licenses {
		name := depName(p, dl.PURL)
		tc := report.TestCase{Class: "license." + dl.Manifest, Name: fmt.Sprintf("%s %s (%s)", name, dl.Expression, dl.Category)}
		for _, f := range byDep[dl.PURL+"\x00"+dl.Manifest] {
			if f.Severity == catalog.SeverityViolation && f.SuppressedBy == "" && tc.Failure == "" {
				tc.Failure, tc.FailureType, tc.FailureText = f.Message, f.Rule, f.Remediation
				continue
			}
			line := f.Severity + ": " + f.Message
			if f.SuppressedBy != "" {
				line += " [suppressed: " + f.SuppressedBy + "]"
			}
			tc.Output += line + "\n"
		}
		g.Cases = append(g.Cases, tc)
	}
	g.Summary = fmt.Sprintf("licence: %d dependencies checked, %d violations, %d warnings, %d info, %d suppressed; project licence %s",
		len(res.Licenses), counts[catalog.SeverityViolation], counts[catalog.SeverityWarning], counts[catalog.SeverityInfo], suppressed, own)
	g.Detail = struct {
		License      *catalog.ProjectLicense  `json:"license"`
		Dependencies []license.DependencyRow  `json:"dependencies"`
		Findings     []catalog.LicenseFinding `json:"findings"`
		Violations   int                      `json:"violations"`
	}{p.License, license.Rows(p), nonNil(res.Findings), res.Violations()}
	return g
}

func licenseRule(f catalog.LicenseFinding) report.Rule {
	r := report.Rule{ID: f.Rule, Level: licenseLevel(f.Severity), HelpURI: "https://github.com/ospo-project/ospo/blob/main/docs/licensing.md"}
	switch f.Rule {
	case license.RuleProjectUnknown:
		r.Name, r.Short = "ProjectLicenseUnknown", "The project declares no recognisable licence"
	case license.RuleExceptionExpired:
		r.Name, r.Short = "LicenseExceptionExpired", "A licence exception in ospo.yaml has expired"
	default:
		cat := strings.TrimPrefix(f.Rule, "license/")
		r.Name = camel(cat) + "Dependency"
		r.Short = "A dependency is licensed " + strings.ReplaceAll(cat, "-", " ")
		if cat == license.Unknown {
			r.Short = "A dependency has no known licence"
		}
	}
	r.Help = f.Remediation
	return r
}

func camel(s string) string {
	var b strings.Builder
	for _, part := range strings.Split(s, "-") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}

func licenseLevel(severity string) string {
	switch severity {
	case catalog.SeverityViolation:
		return report.LevelError
	case catalog.SeverityWarning:
		return report.LevelWarning
	}
	return report.LevelNote
}

// depName returns the name (with version) of the dependency with purl.
func depName(p *catalog.Project, purl string) string {
	for _, d := range p.Dependencies {
		if d.PURL == purl {
			if d.Version != "" {
				return d.Name + "@" + d.Version
			}
			return d.Name
		}
	}
	return purl
}

// depBareName returns the name (without version) of the dependency with purl.
func depBareName(p *catalog.Project, purl string) string {
	for _, d := range p.Dependencies {
		if d.PURL == purl {
			return d.Name
		}
	}
	return purl
}

// OwnLicenseFile is where findings about the project's own licence point.
func OwnLicenseFile(p *catalog.Project) string {
	if p.License != nil {
		for _, e := range p.License.Evidence {
			if e.File != "" {
				return e.File
			}
		}
	}
	return "LICENSE"
}
