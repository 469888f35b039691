// Package hascontributing is the hasContributing probe of the Documentation check; see
// docs/scorecards.md for its rule and rationale.
package hascontributing

import (
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/scorecard/probe"
)

// Def is the probe's definition: its id, check, weight within the check and
// remediation text.
var Def = probe.Def{
	ID:          "hasContributing",
	Check:       probe.CheckDocumentation,
	Weight:      1,
	Remediation: "Add CONTRIBUTING.md: how to build, test and propose a change.",
}

// Run is the probe.
var Run = probe.FileProbe("CONTRIBUTING", catalog.FileContributing)
