// Package recentcommits is the recentCommits probe of the Maintenance check; see
// docs/scorecards.md for its rule and rationale.
package recentcommits

import (
	"fmt"

	"github.com/ospo-project/ospo/internal/health"
	"github.com/ospo-project/ospo/internal/scorecard/facts"
	"github.com/ospo-project/ospo/internal/scorecard/probe"
)

// Def is the probe's definition: its id, check, weight within the check and
// remediation text.
var Def = probe.Def{
	ID:          "recentCommits",
	Check:       probe.CheckMaintenance,
	Weight:      2,
	Remediation: "Land changes regularly, or mark the project deprecated in catalog-info.yaml (spec.lifecycle).",
}

// Run is the probe.
func Run(f *facts.Facts) probe.Result {
	if !f.HistoryKnown {
		return probe.NA("no commit history")
	}
	freq, _ := f.Metric(health.MetricCommitFrequency)
	m := f.Maintenance
	return probe.Partial(freq/m.CommitsPerWeek, fmt.Sprintf("commit frequency %.2f a week over the last %d weeks (%d commits; full marks from %g)",
		freq, m.Weeks, f.Commits(), m.CommitsPerWeek))
}
