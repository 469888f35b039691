package artifactory

import (
	"path"
	"strings"

	"golang.org/x/mod/module"

	"github.com/ospo-project/ospo/internal/extract/deps"
)

// Ref names one version of a package.
type Ref struct {
	// Ecosystem is the OSV ecosystem name; Name the package as the
	// ecosystem spells it; PURL the versionless package URL.
	Ecosystem, Name, Version, PURL string
}

// ref completes a Ref with its package URL; false when none can be made.
func ref(eco, name, version string) (Ref, bool) {
	if name == "" {
		return Ref{}, false
	}
	purl := deps.PackageURL(eco, name, "")
	if purl == "" {
		return Ref{}, false
	}
	return Ref{Ecosystem: eco, Name: name, Version: version, PURL: purl}, true
}

// PackageOf returns the package version a repository file stands for,
// from the repository's package type (as Artifactory names it: Maven,
// Gradle, Npm, Pypi, Go, Nuget, Gems, Cargo …; empty to guess from the
// layout), the file's directory in the repository and its name. One file
// stands for each version, so that downloads are not counted twice: the
// .pom of a Maven version (every resolution reads it, and parent POMs and
// BOMs have nothing else), the .tgz of an npm one, the .zip of a Go
// module's, the archive of the others. Checksums, signatures, metadata and
// index files are not packages.
func PackageOf(packageType, dir, name string) (Ref, bool) {
	lower := strings.ToLower(name)
	for _, suffix := range []string{".sha1", ".sha256", ".sha512", ".md5", ".asc", ".sig"} {
		if strings.HasSuffix(lower, suffix) {
			return Ref{}, false
		}
	}
	switch strings.ToLower(packageType) {
	case "maven", "gradle", "ivy", "sbt":
		return mavenOf(dir, name)
	case "npm":
		return npmOf(dir, name)
	case "pypi":
		return pypiOf(name)
	case "go":
		return goOf(dir, name)
	case "nuget":
		return nugetOf(name)
	case "gems":
		return splitDashed("RubyGems", name, ".gem")
	case "cargo":
		return splitDashed("crates.io", name, ".crate")
	case "":
		// A repository of unknown type: recognise the layouts.
		switch {
		case strings.HasSuffix(lower, ".pom"):
			return mavenOf(dir, name)
		case strings.HasSuffix(lower, ".tgz") && (strings.HasSuffix(dir, "/-") || dir == "-"):
			return npmOf(dir, name)
		case strings.HasSuffix(dir, "/@v"):
			return goOf(dir, name)
		case strings.HasSuffix(lower, ".nupkg"):
			return nugetOf(name)
		case strings.HasSuffix(lower, ".whl"):
			return pypiOf(name)
		case strings.HasSuffix(lower, ".gem"):
			return splitDashed("RubyGems", name, ".gem")
		}
	}
	return Ref{}, false
}

// mavenOf reads group/path/artifact/version/artifact-version….pom.
func mavenOf(dir, name string) (Ref, bool) {
	parts := strings.Split(dir, "/")
	if len(parts) < 3 || !strings.HasSuffix(name, ".pom") {
		return Ref{}, false
	}
	group, artifact, version := strings.Join(parts[:len(parts)-2], "."), parts[len(parts)-2], parts[len(parts)-1]
	// A snapshot's files carry a timestamp instead of "SNAPSHOT".
	base := strings.TrimSuffix(version, "-SNAPSHOT")
	if group == "" || artifact == "" || !strings.HasPrefix(name, artifact+"-"+base) {
		return Ref{}, false
	}
	return ref("Maven", group+":"+artifact, version)
}

// npmOf reads NAME/-/BASENAME-VERSION.tgz (NAME may be @scope/name).
func npmOf(dir, name string) (Ref, bool) {
	pkg, ok := strings.CutSuffix(dir, "/-")
	if !ok || !strings.HasSuffix(name, ".tgz") {
		return Ref{}, false
	}
	base := path.Base(pkg)
	version, ok := strings.CutPrefix(strings.TrimSuffix(name, ".tgz"), base+"-")
	if !ok || version == "" || (strings.HasPrefix(pkg, "@") && strings.Count(pkg, "/") != 1) ||
		(!strings.HasPrefix(pkg, "@") && strings.Contains(pkg, "/")) {
		return Ref{}, false
	}
	return ref("npm", pkg, version)
}

// pypiOf reads a wheel (NAME-VERSION-TAGS.whl) or a source archive
// (NAME-VERSION.tar.gz, .zip, .tar.bz2).
func pypiOf(name string) (Ref, bool) {
	if stem, ok := strings.CutSuffix(name, ".whl"); ok {
		parts := strings.Split(stem, "-")
		if len(parts) < 5 {
			return Ref{}, false
		}
		return ref("PyPI", parts[0], parts[1])
	}
	for _, ext := range []string{".tar.gz", ".tar.bz2", ".zip", ".tgz"} {
		if stem, ok := strings.CutSuffix(name, ext); ok {
			i := strings.LastIndexByte(stem, '-')
			if i <= 0 || i == len(stem)-1 || !isDigit(stem[i+1]) {
				return Ref{}, false
			}
			return ref("PyPI", stem[:i], stem[i+1:])
		}
	}
	return Ref{}, false
}

// goOf reads MODULE/@v/VERSION.zip, MODULE escaped as the module proxy
// protocol escapes it ("!" before an upper-case letter).
func goOf(dir, name string) (Ref, bool) {
	esc, ok := strings.CutSuffix(dir, "/@v")
	version, zip := strings.CutSuffix(name, ".zip")
	if !ok || !zip {
		return Ref{}, false
	}
	mod, err := module.UnescapePath(esc)
	if err != nil {
		return Ref{}, false
	}
	if v, err := module.UnescapeVersion(version); err == nil {
		version = v
	}
	return ref("Go", mod, version)
}

// nugetOf reads ID.VERSION.nupkg: the version starts at the first
// dot-separated part that begins with a digit.
func nugetOf(name string) (Ref, bool) {
	stem, ok := strings.CutSuffix(strings.ToLower(name), ".nupkg")
	if !ok {
		return Ref{}, false
	}
	stem = name[:len(stem)]
	parts := strings.Split(stem, ".")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" && isDigit(parts[i][0]) {
			return ref("NuGet", strings.Join(parts[:i], "."), strings.Join(parts[i:], "."))
		}
	}
	return Ref{}, false
}

// splitDashed reads NAME-VERSION[-PLATFORM]EXT: the version starts after
// the first dash followed by a digit.
func splitDashed(eco, name, ext string) (Ref, bool) {
	stem, ok := strings.CutSuffix(name, ext)
	if !ok {
		return Ref{}, false
	}
	for i := 1; i < len(stem)-1; i++ {
		if stem[i] == '-' && isDigit(stem[i+1]) {
			version := stem[i+1:]
			if eco == "RubyGems" {
				version, _, _ = strings.Cut(version, "-") // a platform gem's suffix
			}
			return ref(eco, stem[:i], version)
		}
	}
	return Ref{}, false
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// DependencyOf returns the package a build-info dependency or module id
// names, given the module type (go, maven, gradle, npm, pip, nuget …):
// "group:artifact:version" for Maven and Gradle, "name:version" for the
// others (Go modules escaped as the module proxy escapes them). A module
// id may carry no version.
func DependencyOf(moduleType, id string) (Ref, bool) {
	switch strings.ToLower(moduleType) {
	case "maven", "gradle", "ivy":
		parts := strings.Split(id, ":")
		if len(parts) < 2 {
			return Ref{}, false
		}
		version := ""
		if len(parts) >= 3 {
			version = parts[len(parts)-1]
		}
		return ref("Maven", parts[0]+":"+parts[1], version)
	case "go", "golang":
		mod, version, _ := strings.Cut(id, ":")
		if p, err := module.UnescapePath(mod); err == nil {
			mod = p
		}
		return ref("Go", mod, version)
	case "npm", "yarn", "pnpm":
		return nameVersion("npm", id)
	case "pip", "pipenv", "pypi", "python", "poetry":
		return nameVersion("PyPI", id)
	case "nuget", "dotnet":
		return nameVersion("NuGet", id)
	}
	return Ref{}, false
}

// nameVersion reads NAME:VERSION (NAME may start with @ for npm scopes).
func nameVersion(eco, id string) (Ref, bool) {
	i := strings.LastIndexByte(id, ':')
	if i <= 0 {
		return ref(eco, id, "")
	}
	return ref(eco, id[:i], id[i+1:])
}
