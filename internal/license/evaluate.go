package license

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
)

// Rule identifiers of licence findings (SARIF rule ids).
const (
	RuleProjectUnknown   = "license/project-unknown"
	RuleExceptionExpired = "license/exception-expired"
)

// RuleID returns the rule identifier of a finding about a dependency in a category.
func RuleID(category string) string { return "license/" + category }

// Remediation is the advice attached to findings, by category. It is data,
// so that an organisation could replace it.
var Remediation = map[string]string{
	WeakCopyleft:    "Weak copyleft: keep the dependency unmodified and dynamically linked or in separate files, ship its licence text and source offer for any changes; ask the OSPO if you modify it.",
	StrongCopyleft:  "Strong copyleft: distributing software that includes this dependency obliges you to release the whole under the same licence. Replace it with a permissively licensed alternative, use it only in dev/test, or request an exception from the OSPO.",
	NetworkCopyleft: "Network copyleft: offering this software as a service obliges you to publish its source under the same licence. Replace the dependency or request an exception from the OSPO.",
	NonCommercial:   "Non-commercial licence: the dependency may not be used in commercial work. Replace it or obtain a commercial licence.",
	Proprietary:     "Proprietary or source-available licence: check that the organisation holds a licence that covers this use, then record an exception.",
	Other:           "A licence the policy does not classify: have the OSPO review it and add it to a category in ospo.yaml (licensing.categories).",
	Unknown:         "No licence could be determined. Check the package's repository; if it has none, it cannot legally be used. Record the licence in ospo.yaml (licensing.licenses) or an exception once reviewed. --online asks the registries.",
	Permissive:      "",
}

// skipEcosystems are dependency kinds not evaluated for licences: CI
// actions and container base images are tools of the build, not parts of
// the software, and their licences are not recorded anywhere a scan reads.
var skipEcosystems = map[string]bool{"GitHub Actions": true, "Docker": true}

// Result is the outcome of evaluating a project against a policy.
type Result struct {
	// Licenses has one entry per distinct (purl, manifest) of the evaluated
	// dependencies, in the order of the project's dependencies, with Category set.
	Licenses []catalog.DependencyLicense
	// Findings are sorted: violations first, then warnings, then info.
	Findings []catalog.LicenseFinding
}

// Violations returns the number of unsuppressed violations.
func (r Result) Violations() int {
	n := 0
	for _, f := range r.Findings {
		if f.Severity == catalog.SeverityViolation && f.SuppressedBy == "" {
			n++
		}
	}
	return n
}

// Evaluate applies the policy to the project's own licence and each of its
// dependencies at time now (which decides whether exceptions have expired).
// A dependency's licence is taken from p.DependencyLicenses when resolved
// there (matched by purl and manifest), else from what its lockfile records,
// else it is unknown. p is not modified.
func Evaluate(p *catalog.Project, pol Policy, now time.Time) Result {
	type key struct{ purl, manifest string }
	resolved := map[key]catalog.DependencyLicense{}
	for _, dl := range p.DependencyLicenses {
		resolved[key{dl.PURL, dl.Manifest}] = dl
	}
	var res Result
	seen := map[key]bool{}
	for _, d := range p.Dependencies {
		k := key{d.PURL, d.Manifest}
		if seen[k] || skipEcosystems[d.Ecosystem] {
			continue
		}
		seen[k] = true
		dl, ok := resolved[k]
		if !ok || dl.Expression == "" {
			dl = FromLockfile(d)
		}
		dec := pol.Decide(p.Kind, d.Scope, dl.Expression)
		dl.Category = pol.Classifier.ExpressionCategory(dl.Expression)
		res.Licenses = append(res.Licenses, dl)
		if dec.Action == Allow {
			continue
		}
		f := catalog.LicenseFinding{
			Severity:    severity(dec.Action),
			Rule:        RuleID(dec.Category),
			PURL:        d.PURL,
			Manifest:    d.Manifest,
			Scope:       d.Scope,
			License:     dl.Expression,
			Category:    dec.Category,
			Message:     message(d, dl.Expression, dec),
			Remediation: Remediation[dec.Category],
		}
		x, expired := pol.exceptionFor(p.Key, d, now)
		if x != nil {
			f.SuppressedBy = fmt.Sprintf("exception approved by %s: %s", orDash(x.ApprovedBy), orDash(x.Reason))
			if !x.Expires.IsZero() {
				f.SuppressedBy += " (until " + x.Expires.Format(time.DateOnly) + ")"
			}
		}
		res.Findings = append(res.Findings, f)
		for _, e := range expired {
			res.Findings = append(res.Findings, catalog.LicenseFinding{
				Severity: catalog.SeverityWarning, Rule: RuleExceptionExpired, PURL: d.PURL, Manifest: d.Manifest,
				Scope: d.Scope, License: dl.Expression, Category: dec.Category,
				Message: fmt.Sprintf("the exception for %s (approved by %s) expired on %s", e.Package,
					orDash(e.ApprovedBy), e.Expires.Format(time.DateOnly)),
				Remediation: "Renew the exception in ospo.yaml with a new expiry date, or remove the dependency.",
			})
		}
	}
	if p.License == nil || p.License.Expression == "" || p.License.Expression == catalog.LicenseUnknown {
		sev := catalog.SeverityInfo
		if p.Kind == catalog.KindOpenSource {
			sev = catalog.SeverityWarning
		}
		res.Findings = append(res.Findings, catalog.LicenseFinding{
			Severity: sev, Rule: RuleProjectUnknown, License: catalog.LicenseUnknown, Category: Unknown,
			Message:     "the project declares no licence that could be recognised",
			Remediation: "Add a LICENSE file with the full text of the project's licence (and an SPDX identifier in the package metadata).",
		})
	}
	sort.SliceStable(res.Findings, func(i, j int) bool {
		return sevRank(res.Findings[i].Severity) < sevRank(res.Findings[j].Severity)
	})
	return res
}

// FromLockfile returns the licence the dependency's lockfile records,
// normalised to an SPDX expression, or unknown. Several recorded licences
// all apply (AND), as a lockfile lists them for one package.
func FromLockfile(d catalog.Dependency) catalog.DependencyLicense {
	dl := catalog.DependencyLicense{PURL: d.PURL, Manifest: d.Manifest, Expression: catalog.LicenseUnknown}
	var exprs []string
	for _, l := range d.Licenses {
		n := Normalize(l)
		if n == "" {
			return dl // one unreadable licence makes the whole unknown: never guessed
		}
		exprs = append(exprs, n)
	}
	if len(exprs) > 0 {
		dl.Expression, dl.Source = And(exprs...), catalog.LicenseSourceLockfile
	}
	return dl
}

func severity(a Action) string {
	switch a {
	case Deny:
		return catalog.SeverityViolation
	case Warn:
		return catalog.SeverityWarning
	}
	return catalog.SeverityInfo
}

func sevRank(s string) int {
	switch s {
	case catalog.SeverityViolation:
		return 0
	case catalog.SeverityWarning:
		return 1
	}
	return 2
}

func message(d catalog.Dependency, expr string, dec Decision) string {
	name := d.Name
	if d.Version != "" {
		name += "@" + d.Version
	}
	scope := d.Scope
	if scope == "" {
		scope = catalog.ScopeRuntime
	}
	if dec.Category == Unknown {
		return fmt.Sprintf("%s (%s dependency) has no known licence", name, scope)
	}
	what := expr
	if dec.License != expr {
		what = fmt.Sprintf("%s, through %s", expr, dec.License)
	}
	return fmt.Sprintf("%s (%s dependency) is licensed %s: %s", name, scope, what, strings.ReplaceAll(dec.Category, "-", " "))
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
