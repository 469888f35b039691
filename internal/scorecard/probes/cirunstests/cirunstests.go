// Package cirunstests is the ciRunsTests probe of the Tests check; see
// docs/scorecards.md for its rule and rationale.
package cirunstests

import (
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/scorecard/facts"
	"github.com/ospo-project/ospo/internal/scorecard/probe"
)

// Def is the probe's definition: its id, check, weight within the check and
// remediation text.
var Def = probe.Def{
	ID:          "ciRunsTests",
	Check:       probe.CheckTests,
	Weight:      1,
	Remediation: "Run the tests in CI (a GitHub Actions workflow, .gitlab-ci.yml, Jenkinsfile …).",
}

// Run is the probe.
func Run(f *facts.Facts) probe.Result {
	ci := f.First(facts.CIKinds...)
	switch {
	case ci == "":
		return probe.Fail("no CI configuration")
	case f.TestFiles == 0:
		return probe.Result{Outcome: catalog.OutcomeFail, Score: 0, Message: "CI configured but there are no tests to run", Location: ci}
	}
	return probe.Pass("CI configured and tests present", ci)
}
