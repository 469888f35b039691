// Package hastests is the hasTests probe of the Tests check; see
// docs/scorecards.md for its rule and rationale.
package hastests

import (
	"fmt"

	"github.com/ospo-project/ospo/internal/scorecard/facts"
	"github.com/ospo-project/ospo/internal/scorecard/probe"
)

// Def is the probe's definition: its id, check, weight within the check and
// remediation text.
var Def = probe.Def{
	ID:          "hasTests",
	Check:       probe.CheckTests,
	Weight:      2,
	Remediation: "Add tests: aim for at least one test file for every five code files.",
}

// Run is the probe.
func Run(f *facts.Facts) probe.Result {
	if f.CodeFiles == 0 {
		return probe.NA("no code files")
	}
	ratio := float64(f.TestFiles) / float64(f.CodeFiles)
	return probe.Partial(ratio/0.2, fmt.Sprintf("%d test files for %d code files", f.TestFiles, f.CodeFiles))
}
