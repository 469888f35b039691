// Package licenseconsistent is the licenseConsistent probe of the Licensing check; see
// docs/scorecards.md for its rule and rationale.
package licenseconsistent

import (
	"fmt"
	"strings"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/license"
	"github.com/ospo-project/ospo/internal/scorecard/facts"
	"github.com/ospo-project/ospo/internal/scorecard/probe"
)

// Def is the probe's definition: its id, check, weight within the check and
// remediation text.
var Def = probe.Def{
	ID:          "licenseConsistent",
	Check:       probe.CheckLicensing,
	Weight:      1,
	Remediation: "Make the licence in package metadata (package.json, Cargo.toml, pom.xml …) match the LICENSE file.",
}

// Run is the probe.
func Run(f *facts.Facts) probe.Result {
	l := f.Project.License
	if l == nil {
		return probe.NA("licence not looked for")
	}
	var file, meta []string
	for _, ev := range l.Evidence {
		switch ev.Source {
		case catalog.LicenseSourceFile:
			file = append(file, license.Normalize(ev.License))
		case catalog.LicenseSourceMetadata:
			meta = append(meta, license.Normalize(ev.License))
		}
	}
	if len(file) == 0 || len(meta) == 0 {
		return probe.NA("no package metadata to compare with the licence file")
	}
	for _, m := range meta {
		ok := false
		for _, fl := range file {
			if strings.Contains(m, fl) || strings.Contains(fl, m) {
				ok = true
			}
		}
		if !ok {
			return probe.Fail(fmt.Sprintf("package metadata says %s, the licence file %s", m, strings.Join(file, ", ")))
		}
	}
	return probe.Pass("package metadata agrees with the licence file", "")
}
