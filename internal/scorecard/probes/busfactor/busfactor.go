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
	Remediation: "Spread knowledge: no one person should make half the recent commits (CHAOSS contributor absence factor).",
}

// Run is the probe.
func Run(f *facts.Facts) probe.Result {
	if !f.HistoryKnown {
		return probe.NA("no commit history")
	}
	m := f.Maintenance
	if f.Commits() == 0 {
		return probe.Fail(fmt.Sprintf("contributor absence factor 0: no commits in the last %d weeks", m.Weeks))
	}
	n := f.AbsenceFactor()
	return probe.Partial(float64(n)/float64(m.AbsenceFactor),
		fmt.Sprintf("contributor absence factor %d (the fewest people making half the commits of the last %d weeks; full marks from %d)", n, m.Weeks, m.AbsenceFactor))
}
