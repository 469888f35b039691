// Package probe defines what a scorecard probe is: a definition kept as
// data (id, check, weight, remediation) and a function from facts to a
// Result. The probes themselves live one per folder under ../probes.
package probe

import (
	"strings"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/scorecard/facts"
)

// Check names of the built-in checks.
const (
	CheckDocumentation = "Documentation"
	CheckLicensing     = "Licensing"
	CheckSecurity      = "Security"
	CheckTests         = "Tests"
	CheckObservability = "Observability"
	CheckMaintenance   = "Maintenance"
	CheckOwnership     = "Ownership"
)

// Def is a probe's definition.
type Def struct {
	// ID names the probe, e.g. "hasSecurityPolicy".
	ID string
	// Check is the check the probe belongs to.
	Check string
	// Weight is the probe's weight within its check.
	Weight float64
	// Remediation says what to do when the probe does not pass.
	Remediation string
}

// Probe is a definition with its function.
type Probe struct {
	Def
	// Run reads the facts; it must not modify them.
	Run func(f *facts.Facts) Result
}

// Result is what a probe concluded.
type Result struct {
	// Outcome is a catalog.Outcome* constant; Score the share 0–1.
	Outcome  string
	Score    float64
	Message  string
	Location string
	// Line is the line of Location concerned; 0 when unknown.
	Line int
}

// Pass is a passing result about the file at loc (may be empty).
func Pass(msg, loc string) Result {
	return Result{Outcome: catalog.OutcomePass, Score: 1, Message: msg, Location: loc}
}

// Fail is a failing result.
func Fail(msg string) Result { return Result{Outcome: catalog.OutcomeFail, Message: msg} }

// NA is a not-available result: the facts to judge are missing.
func NA(msg string) Result { return Result{Outcome: catalog.OutcomeNotAvailable, Message: msg} }

// Partial returns a pass for s ≥ 1, a fail for s ≤ 0 and a partial result
// of share s otherwise.
func Partial(s float64, msg string) Result {
	switch {
	case s >= 1:
		return Result{Outcome: catalog.OutcomePass, Score: 1, Message: msg}
	case s <= 0:
		return Result{Outcome: catalog.OutcomeFail, Message: msg}
	}
	return Result{Outcome: catalog.OutcomePartial, Score: s, Message: msg}
}

// FileProbe returns a probe function that passes when a file of one of
// kinds was recorded.
func FileProbe(what string, kinds ...string) func(*facts.Facts) Result {
	return func(f *facts.Facts) Result {
		if p := f.First(kinds...); p != "" {
			return Pass(what+" found", p)
		}
		return Fail("no " + what)
	}
}

// NoFiles returns a probe function that fails when a file of kind was recorded.
func NoFiles(kind, what string) func(*facts.Facts) Result {
	return func(f *facts.Facts) Result {
		ps := f.Files[kind]
		if len(ps) == 0 {
			return Pass("no "+what+"s committed", "")
		}
		return Result{Outcome: catalog.OutcomeFail, Message: plural(len(ps), what) + " committed, e.g. " + ps[0], Location: ps[0]}
	}
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return itoa(n) + " " + what + "s"
}

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			return string(b[i:])
		}
	}
}

// DepProbe returns a probe function that passes when a dependency's name
// contains one of libs (lower case); not available for a project with
// neither code nor dependencies.
func DepProbe(what string, libs []string) func(*facts.Facts) Result {
	return func(f *facts.Facts) Result {
		if f.CodeFiles == 0 && len(f.Project.Dependencies) == 0 {
			return NA("no code or dependencies")
		}
		if n, ok := f.HasDep(libs...); ok {
			return Pass(what+" library: "+n, "")
		}
		return Fail("no " + what + " library among the dependencies")
	}
}

// OwnLicense returns the project's recognised licence expression, or "".
func OwnLicense(f *facts.Facts) string {
	if l := f.Project.License; l != nil && l.Expression != catalog.LicenseUnknown && strings.TrimSpace(l.Expression) != "" {
		return l.Expression
	}
	return ""
}
