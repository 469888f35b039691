package deps

import (
	"path"
	"strings"

	scalibrex "github.com/google/osv-scalibr/extractor"
	"github.com/google/osv-scalibr/extractor/filesystem/language/java/javalockfile"
	"github.com/google/osv-scalibr/extractor/filesystem/language/python/requirements"
	"github.com/google/osv-scalibr/extractor/filesystem/osv"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/lazyre"
)

// reExtras matches a requirement's extras, "[security,socks]".
var reExtras = lazyre.New(`\[[^\[\]]*\]`)

// adjustRequirement finishes a requirements.txt dependency. A requirement
// pinned with == or === is resolved; any other specifier is kept as the
// constraint, with a PURL without version. --hash options become hashes.
// The file's name gives the scope (requirements-dev.txt, test-requirements.txt).
//
// Requirements read from a file included with -r are recorded under that
// file, and dropped when that file is itself a requirements*.txt (it is
// extracted on its own).
func adjustRequirement(in *input, p *scalibrex.Package, d *catalog.Dependency) bool {
	file := in.path
	if loc := p.Location; len(loc.Related) > 0 && loc.Related[0].File != nil && loc.Related[0].File.Path != "" {
		file = path.Clean(strings.ReplaceAll(loc.Related[0].File.Path, `\`, "/"))
	}
	if file != in.path {
		if isRequirementsFile(file) {
			return false
		}
		d.Manifest = file
	}
	d.Scope = requirementsScope(path.Base(file))
	m, _ := p.Metadata.(*requirements.Metadata)
	if m == nil {
		return true
	}
	for _, h := range m.HashCheckingModeValues {
		if alg, val, ok := strings.Cut(h, ":"); ok {
			d.Hashes = append(d.Hashes, catalog.Hash{Algorithm: alg, Value: val})
		}
	}
	if m.VersionComparator == "==" || m.VersionComparator == "===" {
		return true
	}
	// Keep the specifier as written: "requests[socks]>=2,<3; python_version<'3.8'" → ">=2,<3".
	spec, _, _ := strings.Cut(m.Requirement, ";")
	spec = reExtras.ReplaceAllString(spec, "")
	spec = strings.TrimSpace(spec)
	if len(spec) >= len(p.Name) && strings.EqualFold(spec[:len(p.Name)], p.Name) {
		spec = strings.TrimSpace(spec[len(p.Name):])
	}
	if strings.HasPrefix(spec, "@") { // a direct URL reference
		spec = ""
	}
	d.Version = spec
	d.Constraint = spec != ""
	d.PURL = makePURL(ecoPyPI, p.Name, "", nil)
	return true
}

// isRequirementsFile matches pip requirements files: *requirements*.txt,
// as scalibr does, and the *.txt files of a requirements/ directory
// (requirements/base.txt, requirements/dev.txt).
func isRequirementsFile(p string) bool {
	if path.Ext(p) != ".txt" {
		return false
	}
	return strings.Contains(path.Base(p), "requirements") || path.Base(path.Dir(p)) == "requirements"
}

// requirementsScope guesses a requirements file's scope from its name.
func requirementsScope(base string) string {
	b := strings.ToLower(base)
	switch {
	case strings.Contains(b, "test"):
		return catalog.ScopeTest
	case strings.Contains(b, "dev"), strings.Contains(b, "doc"), strings.Contains(b, "lint"):
		return catalog.ScopeDev
	}
	return catalog.ScopeRuntime
}

// adjustMaven adds a Maven package's type and classifier to its PURL, and
// marks a version that is not resolved (empty, an unresolved ${property},
// a range or a Gradle dynamic version) as a constraint.
func adjustMaven(_ *input, p *scalibrex.Package, d *catalog.Dependency) bool {
	quals := map[string]string{}
	if m, ok := p.Metadata.(*javalockfile.Metadata); ok {
		if m.Type != "" && m.Type != "jar" {
			quals["type"] = m.Type
		}
		if m.Classifier != "" {
			quals["classifier"] = m.Classifier
		}
	}
	v := d.Version
	if v == "" || strings.ContainsAny(v, "${}[]()+,") || strings.HasPrefix(v, "latest.") {
		d.Constraint = v != ""
		v = ""
	}
	d.PURL = makePURL(ecoMaven, d.Name, v, quals)
	return true
}

// adjustConan sets a conan.lock package's scope from the list it is in:
// "build-requires" and "python-requires" (recipes' Python code) are for the
// build, "requires" and the v1 graph's nodes (no list) are runtime.
func adjustConan(_ *input, p *scalibrex.Package, d *catalog.Dependency) bool {
	d.Scope = catalog.ScopeRuntime
	if g, ok := p.Metadata.(osv.DepGroups); ok {
		for _, v := range g.DepGroups() {
			if v == "build-requires" || v == "python-requires" {
				d.Scope = catalog.ScopeBuild
			}
		}
	}
	return true
}
