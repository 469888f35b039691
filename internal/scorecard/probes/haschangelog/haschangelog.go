// Package haschangelog is the hasChangelog probe of the Documentation check; see
// docs/scorecards.md for its rule and rationale.
package haschangelog

import (
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/scorecard/probe"
)

// Def is the probe's definition: its id, check, weight within the check and
// remediation text.
var Def = probe.Def{
	ID:          "hasChangelog",
	Check:       probe.CheckDocumentation,
	Weight:      1,
	Remediation: "Keep a CHANGELOG.md (or release notes) of user-visible changes.",
}

// Run is the probe.
var Run = probe.FileProbe("CHANGELOG or release notes", catalog.FileChangelog)
