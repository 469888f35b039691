// Package dependencyupdatetool is the dependencyUpdateTool probe of the Security check; see
// docs/scorecards.md for its rule and rationale.
package dependencyupdatetool

import (
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/scorecard/probe"
)

// Def is the probe's definition: its id, check, weight within the check and
// remediation text.
var Def = probe.Def{
	ID:          "dependencyUpdateTool",
	Check:       probe.CheckSecurity,
	Weight:      1,
	Remediation: "Configure Dependabot (.github/dependabot.yml) or Renovate (renovate.json).",
}

// Run is the probe.
var Run = probe.FileProbe("dependency update tool", catalog.FileDependabot, catalog.FileRenovate)
