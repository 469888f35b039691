// Package actionspinned is the actionsPinned probe of the Security check; see
// docs/scorecards.md for its rule and rationale.
package actionspinned

import (
	"fmt"
	"strings"

	"github.com/ospo-project/ospo/internal/lazyre"
	"github.com/ospo-project/ospo/internal/scorecard/facts"
	"github.com/ospo-project/ospo/internal/scorecard/probe"
)

// Def is the probe's definition: its id, check, weight within the check and
// remediation text.
var Def = probe.Def{
	ID:          "actionsPinned",
	Check:       probe.CheckSecurity,
	Weight:      1,
	Remediation: "Pin each GitHub Action by its full commit SHA (uses: owner/action@<40-hex> # vX.Y).",
}

var sha40 = lazyre.New(`^[0-9a-f]{40}$`)

// Run is the probe.
func Run(f *facts.Facts) probe.Result {
	total, pinned := 0, 0
	var first string
	for _, d := range f.Project.Dependencies {
		if !strings.EqualFold(d.Ecosystem, "GitHub Actions") {
			continue
		}
		total++
		if sha40.MatchString(strings.ToLower(d.Version)) {
			pinned++
		} else if first == "" {
			first = d.Name + "@" + d.Version
		}
	}
	if total == 0 {
		return probe.NA("no GitHub Actions used")
	}
	r := probe.Partial(float64(pinned)/float64(total), fmt.Sprintf("%d of %d actions pinned by commit", pinned, total))
	if first != "" {
		r.Message += "; e.g. " + first + " is not"
	}
	return r
}
