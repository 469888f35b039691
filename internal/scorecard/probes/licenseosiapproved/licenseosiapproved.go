// Package licenseosiapproved is the licenseOSIApproved probe of the Licensing check; see
// docs/scorecards.md for its rule and rationale.
package licenseosiapproved

import (
	"github.com/ospo-project/ospo/internal/license"
	"github.com/ospo-project/ospo/internal/scorecard/facts"
	"github.com/ospo-project/ospo/internal/scorecard/probe"
)

// Def is the probe's definition: its id, check, weight within the check and
// remediation text.
var Def = probe.Def{
	ID:          "licenseOSIApproved",
	Check:       probe.CheckLicensing,
	Weight:      1,
	Remediation: "Choose an OSI-approved licence (https://opensource.org/licenses).",
}

// Run is the probe.
func Run(f *facts.Facts) probe.Result {
	e := probe.OwnLicense(f)
	if e == "" {
		return probe.Fail("no recognised licence")
	}
	x, err := license.Parse(e)
	if err != nil {
		return probe.Fail("licence " + e + " does not parse")
	}
	for _, l := range x.Leaves() {
		if en, ok := license.Lookup(l.ID); !ok || !en.OSI {
			return probe.Fail("licence " + l.ID + " is not OSI-approved")
		}
	}
	return probe.Pass("licence "+e+" is OSI-approved", "")
}
