// Package hasdescription is the hasDescription probe of the Ownership check; see
// docs/scorecards.md for its rule and rationale.
package hasdescription

import (
	"strings"

	"github.com/ospo-project/ospo/internal/scorecard/facts"
	"github.com/ospo-project/ospo/internal/scorecard/probe"
)

// Def is the probe's definition: its id, check, weight within the check and
// remediation text.
var Def = probe.Def{
	ID:          "hasDescription",
	Check:       probe.CheckOwnership,
	Weight:      1,
	Remediation: "Describe the project in catalog-info.yaml, innersource.json or the README's first paragraph.",
}

// Run is the probe.
func Run(f *facts.Facts) probe.Result {
	if strings.TrimSpace(f.Project.Description) != "" {
		return probe.Pass("described ("+f.Project.DescriptionSource+")", "")
	}
	return probe.Fail("no description")
}
