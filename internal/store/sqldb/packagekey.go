package sqldb

import (
	"strings"

	"github.com/package-url/packageurl-go"

	"github.com/ospo-project/ospo/internal/catalog"
)

// purlTypes maps the package URL types ospo knows to OSV ecosystem names.
// A purl's namespace and name make the ecosystem's package name: joined by
// ':' for Maven ("group:artifact"), by '/' otherwise ("@scope/name",
// "github.com/org/module", "vendor/package").
var purlTypes = map[string]string{
	packageurl.TypeBitnami:   "Bitnami",
	packageurl.TypeCargo:     "crates.io",
	packageurl.TypeCocoapods: "CocoaPods",
	packageurl.TypeComposer:  "Packagist",
	packageurl.TypeConan:     "ConanCenter",
	packageurl.TypeCran:      "CRAN",
	packageurl.TypeDocker:    "Docker",
	packageurl.TypeGem:       "RubyGems",
	packageurl.TypeGithub:    "GitHub Actions",
	"githubactions":          "GitHub Actions", // what internal/extract/deps writes
	packageurl.TypeGolang:    "Go",
	packageurl.TypeHackage:   "Hackage",
	packageurl.TypeHex:       "Hex",
	packageurl.TypeMaven:     "Maven",
	packageurl.TypeNPM:       "npm",
	packageurl.TypeNuget:     "NuGet",
	packageurl.TypePub:       "Pub",
	packageurl.TypePyPi:      "PyPI",
	packageurl.TypeSwift:     "SwiftURL",
}

// ecosystemTypes is the inverse of purlTypes, keyed by lowercased
// ecosystem; where two types name one ecosystem, the one
// internal/extract/deps writes.
var ecosystemTypes = func() map[string]string {
	m := make(map[string]string, len(purlTypes))
	for typ, eco := range purlTypes {
		if typ != packageurl.TypeGithub {
			m[strings.ToLower(eco)] = typ
		}
	}
	return m
}()

// nameKey returns the form of a package name that ecosystem compares; the
// rules live with the vocabulary, in catalog.PackageKey.
func nameKey(ecosystem, name string) string { return catalog.PackageKey(ecosystem, name) }

// artifactKey returns what the artifact_key column holds for a package: for
// Maven the artifact of the "group:artifact" name key, so that a bare
// artifact name finds it; nil (NULL) for other ecosystems.
func artifactKey(ecosystem, key string) any {
	if ecosystem != "maven" {
		return nil
	}
	_, artifact, ok := strings.Cut(key, ":")
	if !ok {
		return key
	}
	return artifact
}

// purlPackage is what a package URL says about a package, versions aside.
type purlPackage struct {
	// Ecosystem and Name are the OSV ecosystem and the ecosystem's name of
	// the package; Ecosystem is empty for a purl type ospo does not know.
	Ecosystem, Name string
	// Base is the purl without version, qualifiers and subpath, canonical.
	Base string
	// Version is the purl's version, if any.
	Version string
}

// parsePURL parses a package URL, normalising it as the purl specification
// says for its type.
func parsePURL(s string) (purlPackage, error) {
	u, err := packageurl.FromString(s)
	if err != nil {
		return purlPackage{}, err
	}
	p := purlPackage{
		Ecosystem: purlTypes[u.Type],
		Name:      u.Name,
		Version:   u.Version,
	}
	if u.Namespace != "" {
		sep := "/"
		if u.Type == packageurl.TypeMaven {
			sep = ":"
		}
		p.Name = u.Namespace + sep + u.Name
	}
	p.Base = packageurl.NewPackageURL(u.Type, u.Namespace, u.Name, "", nil, "").ToString()
	// Decoding may give what no text column holds (%00 is NUL, %FF not
	// UTF-8): the name and version are cleaned as stored names are, so
	// that a lookup key matches them and PostgreSQL accepts it. The base
	// stays encoded.
	p.Name, p.Version = clean(p.Name), clean(p.Version)
	return p, nil
}

// purlBase returns the canonical versionless package URL of the package
// called name in ecosystem, or "" for an ecosystem without a purl type.
func purlBase(ecosystem, name string) string {
	typ, ok := ecosystemTypes[strings.ToLower(ecosystem)]
	if !ok || name == "" {
		return ""
	}
	var ns string
	switch {
	case typ == packageurl.TypeMaven:
		ns, name, _ = strings.Cut(name, ":")
	case strings.Contains(name, "/"):
		i := strings.LastIndexByte(name, '/')
		ns, name = name[:i], name[i+1:]
	}
	u := packageurl.NewPackageURL(typ, ns, name, "", nil, "")
	// Normalise as parsing would (lowercase Go and PyPI names…).
	if err := u.Normalize(); err != nil {
		return ""
	}
	return u.ToString()
}

// depKeys are the lookup columns of a dependency row.
type depKeys struct {
	purlBase, ecosystem, name string
	artifact                  any
}

// keysOf computes the lookup columns of a dependency whose fields have been
// cleaned. The ecosystem and name come from the dependency, or from its PURL
// when it leaves them empty; the PURL base from the PURL, or from the
// ecosystem and name when the PURL is empty or does not parse.
func keysOf(purl, ecosystem, name string) depKeys {
	var p purlPackage
	if purl != "" {
		p, _ = parsePURL(purl) // a PURL that does not parse is stored, not used
	}
	if ecosystem == "" {
		ecosystem = p.Ecosystem
	}
	if name == "" {
		name = p.Name
	}
	if p.Base == "" {
		p.Base = purlBase(ecosystem, name)
	}
	eco := strings.ToLower(ecosystem)
	key := nameKey(eco, name)
	return depKeys{purlBase: p.Base, ecosystem: eco, name: key, artifact: artifactKey(eco, key)}
}
