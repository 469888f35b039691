package deps

import (
	"strings"

	packageurl "github.com/package-url/packageurl-go"

	"github.com/ospo-project/ospo/internal/catalog"
)

// OSV ecosystem names, as catalog.Dependency.Ecosystem spells them.
const (
	ecoGo       = "Go"
	ecoNPM      = "npm"
	ecoPyPI     = "PyPI"
	ecoMaven    = "Maven"
	ecoCargo    = "crates.io"
	ecoGem      = "RubyGems"
	ecoComposer = "Packagist"
	ecoNuGet    = "NuGet"
	ecoHex      = "Hex"
	ecoSwift    = "SwiftURL"
	ecoActions  = "GitHub Actions"
	ecoDocker   = "Docker"
	ecoPub      = "Pub"
	ecoPods     = "CocoaPods"
	ecoConan    = "ConanCenter"
	ecoCRAN     = "CRAN"
	ecoHackage  = "Hackage"
)

// purlTypes maps an OSV ecosystem to its purl type.
var purlTypes = map[string]string{
	ecoGo:       packageurl.TypeGolang,
	ecoNPM:      packageurl.TypeNPM,
	ecoPyPI:     packageurl.TypePyPi,
	ecoMaven:    packageurl.TypeMaven,
	ecoCargo:    packageurl.TypeCargo,
	ecoGem:      packageurl.TypeGem,
	ecoComposer: packageurl.TypeComposer,
	ecoNuGet:    packageurl.TypeNuget,
	ecoHex:      packageurl.TypeHex,
	ecoSwift:    packageurl.TypeSwift,
	ecoActions:  "githubactions",
	ecoDocker:   packageurl.TypeDocker,
	ecoPub:      packageurl.TypePub,
	ecoPods:     packageurl.TypeCocoapods,
	ecoConan:    packageurl.TypeConan,
	ecoCRAN:     packageurl.TypeCran,
	ecoHackage:  packageurl.TypeHackage,
}

// newDep returns a dependency of the ecosystem with its PURL set. The
// manifest path is filled in by the caller of the extractor.
func newDep(ecosystem, name, version string) catalog.Dependency {
	return catalog.Dependency{
		PURL:      makePURL(ecosystem, name, version, nil),
		Ecosystem: ecosystem,
		Name:      name,
		Version:   version,
	}
}

// makePURL builds the package URL of a package, normalised as the purl
// specification's type definitions say (https://github.com/package-url/purl-spec,
// types/*-definition.json):
//
//   - golang, npm, composer, hex, pub, conan, githubactions (namespace and
//     repository part of the name): case-insensitive, so lowercased;
//   - pypi: lowercased with '_' replaced by '-';
//   - golang versions: a module's as Go writes it, "v1.8.0" (the form of
//     syft, trivy, GitHub's dependency graph and the purl-spec text for Go);
//     "stdlib" keeps the toolchain's "1.22.1";
//   - maven, cargo, gem, nuget, swift, docker, cocoapods, cran, hackage:
//     case-sensitive, kept as spelled.
//
// The name is split into namespace and name per type: a Go module path's
// last element is the name; npm "@scope/name"; composer "vendor/name"; Maven
// "group:artifact"; SwiftURL "host/owner/repo"; GitHub Actions
// "owner/repo[/path]" (the path stays in the name, percent-encoded); Docker
// "[registry/]path" (a registry other than Docker Hub becomes the
// repository_url qualifier, Docker Hub's "library/" is dropped); a CocoaPods
// subspec "Pod/Sub" becomes the subpath of pod "Pod".
//
// The result is built, then parsed and printed again with packageurl-go,
// whose parser applies its own normalisation, so what is stored is the
// canonical string. It returns "" when no valid purl can be made (an
// unknown ecosystem or an empty name).
func makePURL(ecosystem, name, version string, quals map[string]string) string {
	typ, ok := purlTypes[ecosystem]
	if !ok || name == "" {
		return ""
	}
	ns, n, sub := "", name, ""
	q := packageurl.QualifiersFromMap(quals)
	switch ecosystem {
	case ecoGo:
		if i := strings.LastIndexByte(name, '/'); i >= 0 {
			ns, n = name[:i], name[i+1:]
		}
		ns, n = strings.ToLower(ns), strings.ToLower(n)
		version = catalog.GoModuleVersion(name, version)
	case ecoNPM:
		if strings.HasPrefix(name, "@") {
			if i := strings.IndexByte(name, '/'); i > 0 {
				ns, n = name[:i], name[i+1:]
			}
		}
		ns, n = strings.ToLower(ns), strings.ToLower(n)
	case ecoComposer:
		if i := strings.IndexByte(name, '/'); i >= 0 {
			ns, n = name[:i], name[i+1:]
		}
		ns, n = strings.ToLower(ns), strings.ToLower(n)
	case ecoPyPI:
		n = strings.ReplaceAll(strings.ToLower(name), "_", "-")
	case ecoHex, ecoPub, ecoConan:
		n = strings.ToLower(name)
	case ecoPods:
		n, sub, _ = strings.Cut(name, "/")
	case ecoMaven:
		if g, a, ok := strings.Cut(name, ":"); ok {
			ns, n = g, a
		}
	case ecoSwift:
		if i := strings.LastIndexByte(name, '/'); i >= 0 {
			ns, n = name[:i], name[i+1:]
		}
	case ecoActions:
		owner, rest, ok := strings.Cut(name, "/")
		if !ok {
			return ""
		}
		repo, sub, hasSub := strings.Cut(rest, "/")
		ns, n = strings.ToLower(owner), strings.ToLower(repo)
		if hasSub {
			n += "/" + sub
		}
	case ecoDocker:
		reg, p := splitRegistry(name)
		if reg == "" || reg == "docker.io" || reg == "index.docker.io" || reg == "registry-1.docker.io" {
			p = strings.TrimPrefix(p, "library/")
		} else {
			q = append(q, packageurl.Qualifier{Key: "repository_url", Value: reg})
		}
		if i := strings.LastIndexByte(p, '/'); i >= 0 {
			ns, n = p[:i], p[i+1:]
		} else {
			n = p
		}
	}
	if n == "" {
		return ""
	}
	built := packageurl.NewPackageURL(typ, ns, n, version, q, sub)
	parsed, err := packageurl.FromString(built.ToString())
	if err != nil {
		return ""
	}
	return parsed.ToString()
}

// splitRegistry splits a container image name into its registry host (""
// when the name has none, i.e. Docker Hub) and repository path. As Docker
// does, the first element is a registry if it contains '.' or ':' or is
// "localhost".
func splitRegistry(name string) (registry, path string) {
	first, rest, ok := strings.Cut(name, "/")
	if ok && (strings.ContainsAny(first, ".:") || first == "localhost") {
		return first, rest
	}
	return "", name
}

// PackageURL returns the package URL of version of the package name of an
// OSV ecosystem, normalised as the extractors write them; "" when none can
// be made. Sources that name packages outside lockfiles (an artifact
// repository's files, a build's recorded dependencies) use it so that
// their packages join the same technologies.
func PackageURL(ecosystem, name, version string) string {
	return makePURL(ecosystem, name, version, nil)
}
