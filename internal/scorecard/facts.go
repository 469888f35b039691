// Package scorecard rates projects: it derives facts from a catalogue
// project (package facts), runs probes that turn facts into findings, each
// with its remediation kept as data (one folder per probe under probes/),
// aggregates the findings into 0–10 checks and weighs the checks into one
// score, as ospo.yaml says. It is pure: it takes catalogue values,
// configuration and the time, and never reads a store.
package scorecard

import (
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/scorecard/facts"
	"github.com/ospo-project/ospo/internal/scorecard/probe"
)

// Facts is what the probes read about one project, see package facts.
type Facts = facts.Facts

// NewFacts derives Facts from p: vulns are its vulnerability findings
// (vulnsKnown false when no advisories were imported), coverage a
// percentage or nil.
func NewFacts(p *catalog.Project, vulns []catalog.VulnFinding, vulnsKnown bool, coverage *float64, now time.Time) *Facts {
	return facts.New(p, vulns, vulnsKnown, coverage, now)
}

// Check names of the built-in checks.
const (
	CheckDocumentation = probe.CheckDocumentation
	CheckLicensing     = probe.CheckLicensing
	CheckSecurity      = probe.CheckSecurity
	CheckTests         = probe.CheckTests
	CheckObservability = probe.CheckObservability
	CheckMaintenance   = probe.CheckMaintenance
	CheckOwnership     = probe.CheckOwnership
)

// Checks lists the built-in checks in the order they are shown.
var Checks = []string{CheckDocumentation, CheckLicensing, CheckSecurity, CheckTests, CheckObservability, CheckMaintenance, CheckOwnership}

// DocURL is where the checks are documented.
const DocURL = "https://github.com/ospo-project/ospo/blob/main/docs/scorecards.md"
