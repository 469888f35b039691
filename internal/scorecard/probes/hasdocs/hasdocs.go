// Package hasdocs is the hasDocs probe of the Documentation check; see
// docs/scorecards.md for its rule and rationale.
package hasdocs

import (
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/scorecard/probe"
)

// Def is the probe's definition: its id, check, weight within the check and
// remediation text.
var Def = probe.Def{
	ID:          "hasDocs",
	Check:       probe.CheckDocumentation,
	Weight:      1,
	Remediation: "Add a docs/ folder or documentation site for anything beyond the README.",
}

// Run is the probe.
var Run = probe.FileProbe("docs folder", catalog.FileDocs)
