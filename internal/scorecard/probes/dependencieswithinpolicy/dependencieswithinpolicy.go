// Package dependencieswithinpolicy is the dependenciesWithinPolicy probe of the Licensing check; see
// docs/scorecards.md for its rule and rationale.
package dependencieswithinpolicy

import (
	"fmt"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/scorecard/facts"
	"github.com/ospo-project/ospo/internal/scorecard/probe"
)

// Def is the probe's definition: its id, check, weight within the check and
// remediation text.
var Def = probe.Def{
	ID:          "dependenciesWithinPolicy",
	Check:       probe.CheckLicensing,
	Weight:      2,
	Remediation: "Replace dependencies whose licences violate the policy, or record an approved exception in ospo.yaml.",
}

// Run is the probe.
func Run(f *facts.Facts) probe.Result {
	if len(f.Project.Dependencies) == 0 {
		return probe.NA("no dependencies")
	}
	v := 0
	for _, lf := range f.Project.LicenseFindings {
		if lf.PURL != "" && lf.Severity == catalog.SeverityViolation && lf.SuppressedBy == "" {
			v++
		}
	}
	if v == 0 {
		return probe.Pass(fmt.Sprintf("%d dependencies within the licence policy", len(f.Project.Dependencies)), "")
	}
	return probe.Partial(1-float64(v)/5, fmt.Sprintf("%d dependency licence violations", v))
}
