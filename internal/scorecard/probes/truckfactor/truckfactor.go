// Package truckfactor is the truckFactor probe of the Maintenance check;
// see docs/scorecards.md for its rule and docs/expertise.md for how the
// truck factor is computed.
package truckfactor

import (
	"fmt"
	"strings"

	"github.com/ospo-project/ospo/internal/scorecard/facts"
	"github.com/ospo-project/ospo/internal/scorecard/probe"
)

// Def is the probe's definition: its id, check, weight within the check and
// remediation text.
var Def = probe.Def{
	ID:     "truckFactor",
	Check:  probe.CheckMaintenance,
	Weight: 1,
	Remediation: "Spread knowledge of the code: pair, review across people and rotate ownership " +
		"so that at least two people author most files (truck factor 2 or more).",
}

// Run is the probe: a truck factor of 2 or more passes, 1 is half.
func Run(f *facts.Facts) probe.Result {
	if !f.TruckFactorKnown {
		return probe.NA("no file has a known author (history not read)")
	}
	msg := fmt.Sprintf("truck factor %d (%s)", f.TruckFactor, strings.Join(f.KeyPeople, ", "))
	return probe.Partial(float64(min(f.TruckFactor, 2))/2, msg)
}
