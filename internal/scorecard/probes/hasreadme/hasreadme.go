// Package hasreadme is the hasReadme probe of the Documentation check; see
// docs/scorecards.md for its rule and rationale.
package hasreadme

import (
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/scorecard/probe"
)

// Def is the probe's definition: its id, check, weight within the check and
// remediation text.
var Def = probe.Def{
	ID:          "hasReadme",
	Check:       probe.CheckDocumentation,
	Weight:      2,
	Remediation: "Add a README.md saying what the project is, how to install it and how to use it.",
}

// Run is the probe.
var Run = probe.FileProbe("README", catalog.FileReadme)
