// Package nobinaryartifacts is the noBinaryArtifacts probe of the Security check; see
// docs/scorecards.md for its rule and rationale.
package nobinaryartifacts

import (
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/scorecard/probe"
)

// Def is the probe's definition: its id, check, weight within the check and
// remediation text.
var Def = probe.Def{
	ID:          "noBinaryArtifacts",
	Check:       probe.CheckSecurity,
	Weight:      1,
	Remediation: "Remove compiled binaries from the repository; build them from source in CI.",
}

// Run is the probe.
var Run = probe.NoFiles(catalog.FileBinaryArtifact, "binary artifact")
