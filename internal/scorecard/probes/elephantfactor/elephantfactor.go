// Package elephantfactor is the elephantFactor probe of the Maintenance
// check; see docs/scorecards.md for its rule and rationale.
package elephantfactor

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ospo-project/ospo/internal/scorecard/facts"
	"github.com/ospo-project/ospo/internal/scorecard/probe"
)

// Def is the probe's definition: its id, check, weight within the check and
// remediation text.
var Def = probe.Def{
	ID:          "elephantFactor",
	Check:       probe.CheckMaintenance,
	Weight:      1,
	Remediation: "Bring in maintainers from other organisations: no one organisation should make half the recent commits (CHAOSS elephant factor).",
}

// Run is the probe: the elephant factor over the Maintenance window ÷ the
// configured full-mark value; not available for the kinds of project it is
// not scored for (by default all but open source) or without history.
func Run(f *facts.Facts) probe.Result {
	m := f.Maintenance
	if !slices.Contains(m.ElephantKinds, f.Project.Kind) {
		return probe.NA(fmt.Sprintf("not scored for %s projects (scorecard.maintenance.elephant_kinds: %s)",
			kindName(f.Project.Kind), strings.Join(m.ElephantKinds, ", ")))
	}
	if !f.HistoryKnown {
		return probe.NA("no commit history")
	}
	if f.Commits() == 0 {
		return probe.Fail(fmt.Sprintf("elephant factor 0: no commits in the last %d weeks", m.Weeks))
	}
	n := f.ElephantFactor()
	return probe.Partial(float64(n)/float64(m.ElephantFactor),
		fmt.Sprintf("elephant factor %d (the fewest organisations making half the commits of the last %d weeks; full marks from %d)", n, m.Weeks, m.ElephantFactor))
}

func kindName(k string) string {
	if k == "" {
		return "unclassified"
	}
	return k
}
