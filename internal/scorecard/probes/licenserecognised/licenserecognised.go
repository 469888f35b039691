// Package licenserecognised is the licenseRecognised probe of the Licensing check; see
// docs/scorecards.md for its rule and rationale.
package licenserecognised

import (
	"github.com/ospo-project/ospo/internal/license"
	"github.com/ospo-project/ospo/internal/scorecard/facts"
	"github.com/ospo-project/ospo/internal/scorecard/probe"
)

// Def is the probe's definition: its id, check, weight within the check and
// remediation text.
var Def = probe.Def{
	ID:          "licenseRecognised",
	Check:       probe.CheckLicensing,
	Weight:      1,
	Remediation: "Use the unmodified text of an SPDX-listed licence so tools can recognise it.",
}

// Run is the probe.
func Run(f *facts.Facts) probe.Result {
	e := probe.OwnLicense(f)
	if e == "" {
		return probe.Fail("licence not recognised")
	}
	x, err := license.Parse(e)
	if err != nil {
		return probe.Fail("licence " + e + " is not an SPDX expression")
	}
	for _, l := range x.Leaves() {
		if _, ok := license.Lookup(l.ID); !ok {
			return probe.Fail("licence " + l.ID + " is not on the SPDX list")
		}
	}
	return probe.Pass("licence "+e+" is on the SPDX list", "")
}
