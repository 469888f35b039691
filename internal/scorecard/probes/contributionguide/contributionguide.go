// Package contributionguide is the contributionGuide probe of the Ownership check; see
// docs/scorecards.md for its rule and rationale.
package contributionguide

import (
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/scorecard/probe"
)

// Def is the probe's definition: its id, check, weight within the check and
// remediation text.
var Def = probe.Def{
	ID:          "contributionGuide",
	Check:       probe.CheckOwnership,
	Weight:      1,
	Remediation: "Add innersource.json or CONTRIBUTING.md so others know how to contribute.",
}

// Run is the probe.
var Run = probe.FileProbe("innersource.json or contribution guide", catalog.FileInnerSource, catalog.FileContributing)
