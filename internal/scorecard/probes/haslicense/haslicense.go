// Package haslicense is the hasLicense probe of the Licensing check; see
// docs/scorecards.md for its rule and rationale.
package haslicense

import (
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/scorecard/facts"
	"github.com/ospo-project/ospo/internal/scorecard/probe"
)

// Def is the probe's definition: its id, check, weight within the check and
// remediation text.
var Def = probe.Def{
	ID:          "hasLicense",
	Check:       probe.CheckLicensing,
	Weight:      3,
	Remediation: "Add a LICENSE file with the full licence text.",
}

// Run is the probe.
func Run(f *facts.Facts) probe.Result {
	if f.Project.License == nil && !f.Has(catalog.FileLicense) {
		return probe.Fail("no licence file")
	}
	if e := probe.OwnLicense(f); e != "" {
		return probe.Pass("licence "+e, f.First(catalog.FileLicense))
	}
	if p := f.First(catalog.FileLicense); p != "" {
		return probe.Result{Outcome: catalog.OutcomePartial, Score: 0.5, Message: "licence file present but not recognised", Location: p}
	}
	return probe.Fail("no licence found")
}
