// Package readmesubstantive is the readmeSubstantive probe of the Documentation check; see
// docs/scorecards.md for its rule and rationale.
package readmesubstantive

import (
	"fmt"
	"math"
	"strings"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/scorecard/facts"
	"github.com/ospo-project/ospo/internal/scorecard/probe"
)

// Def is the probe's definition: its id, check, weight within the check and
// remediation text.
var Def = probe.Def{
	ID:          "readmeSubstantive",
	Check:       probe.CheckDocumentation,
	Weight:      2,
	Remediation: "Give the README an installation (or getting started) section and a usage section; a README under 500 bytes is a stub.",
}

// Run is the probe.
func Run(f *facts.Facts) probe.Result {
	if !f.Has(catalog.FileReadme) {
		return probe.Fail("no README")
	}
	if f.ReadmeBytes == 0 && len(f.ReadmeSections) == 0 {
		return probe.NA("README content not recorded (scanned by an older ospo)")
	}
	s := 0.0
	var have, miss []string
	for _, sec := range []string{"install", "usage"} {
		if f.ReadmeSections[sec] {
			s += 0.35
			have = append(have, sec)
		} else {
			miss = append(miss, sec)
		}
	}
	if f.ReadmeBytes >= 500 {
		s += 0.3
	}
	msg := fmt.Sprintf("README of %d bytes", f.ReadmeBytes)
	if len(have) > 0 {
		msg += "; sections: " + strings.Join(have, ", ")
	}
	if len(miss) > 0 {
		msg += "; missing: " + strings.Join(miss, ", ")
	}
	return probe.Partial(math.Round(s*100)/100, msg)
}
