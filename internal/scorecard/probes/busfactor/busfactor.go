// Package busfactor is the busFactor probe of the Maintenance check; see
// docs/scorecards.md for its rule and rationale.
package busfactor

import (
	"fmt"

	"github.com/ospo-project/ospo/internal/scorecard/facts"
	"github.com/ospo-project/ospo/internal/scorecard/probe"
)

// Def is the probe's definition: its id, check, weight within the check and
// remediation text.
var Def = probe.Def{
	ID:          "busFactor",
	Check:       probe.CheckMaintenance,
	Weight:      1,
	Remediation: "Spread knowledge: no one person should make half the recent commits.",
}

// Run is the probe.
func Run(f *facts.Facts) probe.Result {
	if !f.HistoryKnown {
		return probe.NA("no commit history")
	}
	if f.Commits90d == 0 {
		return probe.Fail("bus factor 0: no commits in the last 90 days")
	}
	return probe.Partial(float64(f.BusFactor)/2, fmt.Sprintf("bus factor %d (people making half the recent commits)", f.BusFactor))
}
