package license

import "github.com/ospo-project/ospo/internal/catalog"

// DependencyRow is a dependency joined with its resolved licence.
type DependencyRow struct {
	catalog.Dependency
	License  string `json:"license"`
	Source   string `json:"license_source,omitempty"`
	Category string `json:"category"`
}

// Rows joins p's dependencies with the licences recorded for them
// (p.DependencyLicenses), one row per distinct purl and manifest, in the
// order of p.Dependencies; dependencies without a recorded licence are left
// out. Never nil.
func Rows(p *catalog.Project) []DependencyRow {
	type key struct{ purl, manifest string }
	lic := map[key]catalog.DependencyLicense{}
	for _, d := range p.DependencyLicenses {
		lic[key{d.PURL, d.Manifest}] = d
	}
	rows := []DependencyRow{}
	seen := map[key]bool{}
	for _, d := range p.Dependencies {
		k := key{d.PURL, d.Manifest}
		dl, ok := lic[k]
		if !ok || seen[k] {
			continue
		}
		seen[k] = true
		rows = append(rows, DependencyRow{Dependency: d, License: dl.Expression, Source: dl.Source, Category: dl.Category})
	}
	return rows
}
