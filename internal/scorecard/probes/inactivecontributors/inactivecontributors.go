// Package inactivecontributors is the inactiveContributors probe of the
// Maintenance check; see docs/scorecards.md for its rule and rationale.
package inactivecontributors

import (
	"fmt"

	"github.com/ospo-project/ospo/internal/scorecard/facts"
	"github.com/ospo-project/ospo/internal/scorecard/probe"
)

// Def is the probe's definition: its id, check, weight within the check and
// remediation text.
var Def = probe.Def{
	ID:          "inactiveContributors",
	Check:       probe.CheckMaintenance,
	Weight:      1,
	Remediation: "Find out why contributors stopped (CHAOSS inactive contributors) and hand their areas over before knowledge leaves with them.",
}

// Run is the probe: of the people active in the window and those who went
// inactive in it, the share who went inactive; none scores 1, the
// configured maximum share or more scores 0.
func Run(f *facts.Facts) probe.Result {
	if !f.HistoryKnown {
		return probe.NA("no commit history")
	}
	m := f.Maintenance
	gone, active := f.Health().WentInactive, f.Health().Contributors
	if gone+active == 0 {
		return probe.NA(fmt.Sprintf("no contributor in the last %d weeks, nor anyone who went inactive in them", m.Weeks))
	}
	share := float64(gone) / float64(gone+active)
	return probe.Partial(1-share/m.MaxInactiveShare,
		fmt.Sprintf("%d contributors went inactive (%d weeks without a commit) in the last %d weeks, %d committed (%.0f%% gone; 0 from %.0f%%)",
			gone, m.InactiveWeeks, m.Weeks, active, 100*share, 100*m.MaxInactiveShare))
}
