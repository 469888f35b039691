// Package containerimagespinned is the containerImagesPinned probe of the
// Security check; see docs/scorecards.md for its rule and rationale.
package containerimagespinned

import (
	"fmt"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/scorecard/facts"
	"github.com/ospo-project/ospo/internal/scorecard/probe"
)

// Def is the probe's definition: its id, check, weight within the check and
// remediation text.
var Def = probe.Def{
	ID:     "containerImagesPinned",
	Check:  probe.CheckSecurity,
	Weight: 1,
	Remediation: "Pin each Dockerfile base image by digest (FROM image:tag@sha256:<digest>); " +
		"Dependabot or Renovate keep pinned digests up to date.",
}

// Run is the probe: the share of Dockerfile FROM images pinned by sha256
// digest; not available without any.
func Run(f *facts.Facts) probe.Result {
	pinned, total, first := f.PinCount(catalog.PinContainerImage)
	if total == 0 {
		return probe.NA("no Dockerfile base images")
	}
	r := probe.Partial(float64(pinned)/float64(total), fmt.Sprintf("%d of %d Dockerfile base images pinned by digest", pinned, total))
	if first.Type != "" {
		r.Message += fmt.Sprintf("; e.g. %s (%s:%d) is not", first.Snippet, first.Path, first.Line)
		r.Location, r.Line = first.Path, first.Line
	}
	return r
}
