// Package nodownloadthenrun is the noDownloadThenRun probe of the Security
// check; see docs/scorecards.md for its rule and rationale.
package nodownloadthenrun

import (
	"fmt"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/scorecard/facts"
	"github.com/ospo-project/ospo/internal/scorecard/probe"
)

// Def is the probe's definition: its id, check, weight within the check and
// remediation text.
var Def = probe.Def{
	ID:     "noDownloadThenRun",
	Check:  probe.CheckSecurity,
	Weight: 1,
	Remediation: "Do not pipe a download into a shell (curl … | sh) or run a file just downloaded: fetch a fixed " +
		"version, check its checksum or signature (sha256sum -c), then run it; or install it with a package manager.",
}

// Run is the probe: it fails when a workflow run step, a Dockerfile or a
// shell script runs what it downloads (curl|wget … | sh, sh <(curl …), a
// downloaded file executed); not available when the scan read none of
// those files.
func Run(f *facts.Facts) probe.Result {
	_, total, first := f.PinCount(catalog.PinDownloadThenRun)
	if total > 0 {
		msg := "1 download run unverified"
		if total > 1 {
			msg = fmt.Sprintf("%d downloads run unverified", total)
		}
		r := probe.Fail(fmt.Sprintf("%s, e.g. %s (%s:%d)", msg, first.Snippet, first.Path, first.Line))
		r.Location, r.Line = first.Path, first.Line
		return r
	}
	if f.PinSources == 0 {
		return probe.NA("no workflows, Dockerfiles or shell scripts read")
	}
	return probe.Pass(fmt.Sprintf("no download run unverified in %d workflows, Dockerfiles and shell scripts", f.PinSources), "")
}
