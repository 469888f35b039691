// Package hastopics is the hasTopics probe of the Ownership check; see
// docs/scorecards.md for its rule and rationale.
package hastopics

import (
	"strings"

	"github.com/ospo-project/ospo/internal/scorecard/facts"
	"github.com/ospo-project/ospo/internal/scorecard/probe"
)

// Def is the probe's definition: its id, check, weight within the check and
// remediation text.
var Def = probe.Def{
	ID:          "hasTopics",
	Check:       probe.CheckOwnership,
	Weight:      1,
	Remediation: "Tag the project with topics (catalog-info.yaml metadata.tags or innersource.json topics).",
}

// Run is the probe.
func Run(f *facts.Facts) probe.Result {
	if len(f.Project.Topics) > 0 {
		return probe.Pass("topics: "+strings.Join(f.Project.Topics, ", "), "")
	}
	return probe.Fail("no topics")
}
