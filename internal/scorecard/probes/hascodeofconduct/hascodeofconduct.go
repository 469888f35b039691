// Package hascodeofconduct is the hasCodeOfConduct probe of the Documentation check; see
// docs/scorecards.md for its rule and rationale.
package hascodeofconduct

import (
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/scorecard/probe"
)

// Def is the probe's definition: its id, check, weight within the check and
// remediation text.
var Def = probe.Def{
	ID:          "hasCodeOfConduct",
	Check:       probe.CheckDocumentation,
	Weight:      1,
	Remediation: "Add CODE_OF_CONDUCT.md (e.g. the Contributor Covenant).",
}

// Run is the probe.
var Run = probe.FileProbe("CODE_OF_CONDUCT", catalog.FileCodeOfConduct)
