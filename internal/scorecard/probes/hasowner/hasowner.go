// Package hasowner is the hasOwner probe of the Ownership check; see
// docs/scorecards.md for its rule and rationale.
package hasowner

import (
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/scorecard/facts"
	"github.com/ospo-project/ospo/internal/scorecard/probe"
)

// Def is the probe's definition: its id, check, weight within the check and
// remediation text.
var Def = probe.Def{
	ID:          "hasOwner",
	Check:       probe.CheckOwnership,
	Weight:      2,
	Remediation: "Name owners in CODEOWNERS or catalog-info.yaml (spec.owner).",
}

// Run is the probe.
func Run(f *facts.Facts) probe.Result {
	if f.Has(catalog.FileCodeowners) {
		return probe.Pass("CODEOWNERS found", f.First(catalog.FileCodeowners))
	}
	for _, o := range f.Project.Owners {
		return probe.Pass("owner "+o.Owner+" ("+o.Source+")", o.Path)
	}
	return probe.Fail("no CODEOWNERS or catalog owner")
}
