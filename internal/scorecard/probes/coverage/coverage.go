// Package coverage is the coverage probe of the Tests check; see
// docs/scorecards.md for its rule and rationale.
package coverage

import (
	"fmt"

	"github.com/ospo-project/ospo/internal/scorecard/facts"
	"github.com/ospo-project/ospo/internal/scorecard/probe"
)

// Def is the probe's definition: its id, check, weight within the check and
// remediation text.
var Def = probe.Def{
	ID:          "coverage",
	Check:       probe.CheckTests,
	Weight:      2,
	Remediation: "Raise line coverage towards 80%; publish a coverage report (or pass it with ospo score --coverage).",
}

// Run is the probe.
func Run(f *facts.Facts) probe.Result {
	if f.Coverage == nil {
		return probe.NA("no coverage report")
	}
	return probe.Partial(*f.Coverage/80, fmt.Sprintf("line coverage %.1f%%", *f.Coverage))
}
