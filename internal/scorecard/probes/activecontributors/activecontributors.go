// Package activecontributors is the activeContributors probe of the Maintenance check; see
// docs/scorecards.md for its rule and rationale.
package activecontributors

import (
	"fmt"

	"github.com/ospo-project/ospo/internal/scorecard/facts"
	"github.com/ospo-project/ospo/internal/scorecard/probe"
)

// Def is the probe's definition: its id, check, weight within the check and
// remediation text.
var Def = probe.Def{
	ID:          "activeContributors",
	Check:       probe.CheckMaintenance,
	Weight:      1,
	Remediation: "Bring more people into the project: review rotations, good-first issues, pairing.",
}

// Run is the probe.
func Run(f *facts.Facts) probe.Result {
	if !f.HistoryKnown {
		return probe.NA("no commit history")
	}
	m := f.Maintenance
	return probe.Partial(float64(f.Health().Contributors)/float64(m.Contributors),
		fmt.Sprintf("%d contributors in the last %d weeks (full marks from %d)", f.Health().Contributors, m.Weeks, m.Contributors))
}
