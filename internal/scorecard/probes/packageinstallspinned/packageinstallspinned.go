// Package packageinstallspinned is the packageInstallsPinned probe of the
// Security check; see docs/scorecards.md for its rule and rationale.
package packageinstallspinned

import (
	"fmt"
	"strings"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/scorecard/facts"
	"github.com/ospo-project/ospo/internal/scorecard/probe"
)

// Def is the probe's definition: its id, check, weight within the check and
// remediation text.
var Def = probe.Def{
	ID:     "packageInstallsPinned",
	Check:  probe.CheckSecurity,
	Weight: 1,
	Remediation: "Install exactly what a lockfile with hashes records: npm ci rather than npm install; " +
		"pip install --require-hashes -r requirements.txt (hashes from pip-compile --generate-hashes); " +
		"go install pkg@vX.Y.Z or @<commit> rather than @latest; dotnet restore --locked-mode, " +
		"nuget restore -LockedMode; choco install --requirechecksums.",
}

// Types are the package managers judged, in the order shown.
var Types = []string{catalog.PinNpmCommand, catalog.PinPipCommand, catalog.PinGoCommand, catalog.PinNugetCommand, catalog.PinChocoCommand}

// Run is the probe: for each package manager whose installs appear in
// workflow run steps, Dockerfile RUNs or shell scripts, the share of them
// pinned; the probe's share is the mean over package managers (each
// weighs the same, as in OpenSSF Scorecard). Not available without any.
func Run(f *facts.Facts) probe.Result {
	var sum float64
	var n, pinnedAll, totalAll int
	var parts []string
	var first catalog.PinnedDependency
	for _, t := range Types {
		pinned, total, fst := f.PinCount(t)
		if total == 0 {
			continue
		}
		n++
		sum += float64(pinned) / float64(total)
		pinnedAll += pinned
		totalAll += total
		parts = append(parts, fmt.Sprintf("%s %d of %d", t, pinned, total))
		if first.Type == "" {
			first = fst
		}
	}
	if n == 0 {
		return probe.NA("no package-manager installs in workflow run steps, Dockerfiles or shell scripts")
	}
	r := probe.Partial(sum/float64(n), fmt.Sprintf("%d of %d package-manager installs pinned (%s)", pinnedAll, totalAll, strings.Join(parts, ", ")))
	if first.Type != "" {
		r.Message += fmt.Sprintf("; e.g. %s (%s:%d) is not", first.Snippet, first.Path, first.Line)
		r.Location, r.Line = first.Path, first.Line
	}
	return r
}
