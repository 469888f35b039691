// Package notstale is the notStale probe of the Maintenance check; see
// docs/scorecards.md for its rule and rationale.
package notstale

import (
	"fmt"

	"github.com/ospo-project/ospo/internal/scorecard/facts"
	"github.com/ospo-project/ospo/internal/scorecard/probe"
)

// Def is the probe's definition: its id, check, weight within the check and
// remediation text.
var Def = probe.Def{
	ID:          "notStale",
	Check:       probe.CheckMaintenance,
	Weight:      1,
	Remediation: "Commit, archive, or mark the project deprecated; staleness keeps growing.",
}

// Run is the probe.
func Run(f *facts.Facts) probe.Result {
	if f.LastCommit.IsZero() {
		return probe.NA("no commit date")
	}
	days := int(f.Now.Sub(f.LastCommit).Hours() / 24)
	// Full marks within 90 days, then a tenth less for every further 90.
	return probe.Partial(1-float64(max(0, days-90))/900, fmt.Sprintf("last commit %d days ago", days))
}
