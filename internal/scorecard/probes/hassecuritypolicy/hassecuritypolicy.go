// Package hassecuritypolicy is the hasSecurityPolicy probe of the Security check; see
// docs/scorecards.md for its rule and rationale.
package hassecuritypolicy

import (
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/scorecard/probe"
)

// Def is the probe's definition: its id, check, weight within the check and
// remediation text.
var Def = probe.Def{
	ID:          "hasSecurityPolicy",
	Check:       probe.CheckSecurity,
	Weight:      1,
	Remediation: "Add SECURITY.md saying how to report a vulnerability privately.",
}

// Run is the probe.
var Run = probe.FileProbe("SECURITY.md", catalog.FileSecurity)
