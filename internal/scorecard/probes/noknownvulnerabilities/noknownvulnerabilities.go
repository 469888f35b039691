// Package noknownvulnerabilities is the noKnownVulnerabilities probe of the Security check; see
// docs/scorecards.md for its rule and rationale.
package noknownvulnerabilities

import (
	"fmt"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/scorecard/facts"
	"github.com/ospo-project/ospo/internal/scorecard/probe"
)

// Def is the probe's definition: its id, check, weight within the check and
// remediation text.
var Def = probe.Def{
	ID:          "noKnownVulnerabilities",
	Check:       probe.CheckSecurity,
	Weight:      3,
	Remediation: "Upgrade the affected dependencies to fixed versions (ospo vulns), or record an ignore rule with a reason.",
}

// severityPenalty is what one unsuppressed vulnerability costs, out of 10.
var severityPenalty = map[int]float64{4: 5, 3: 3, 2: 1, 1: 0.5, 0: 1}

// Run is the probe.
func Run(f *facts.Facts) probe.Result {
	if !f.VulnsKnown {
		return probe.NA("no advisories imported (ospo advisories import)")
	}
	pen := 0.0
	counts := map[int]int{}
	for i := range f.Vulns {
		v := &f.Vulns[i]
		if v.Suppressed {
			continue
		}
		r := catalog.SeverityRank(v.Severity.Rating)
		counts[r]++
		pen += severityPenalty[r]
	}
	if pen == 0 {
		return probe.Pass("no known vulnerabilities", "")
	}
	return probe.Partial(1-pen/10, fmt.Sprintf("known vulnerabilities: %d critical, %d high, %d medium, %d low, %d unrated",
		counts[4], counts[3], counts[2], counts[1], counts[0]))
}
