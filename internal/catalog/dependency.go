package catalog

// Dependency is one package a project depends on, as one manifest or
// lockfile records it. The same package found in two lockfiles of a
// monorepo is two Dependencies, one per Manifest: each lockfile is a
// component of its own.
type Dependency struct {
	// PURL is the package URL with its version, normalised the way the purl
	// spec says for the ecosystem (e.g. pkg:pypi/ names lowercased with '-').
	PURL string `json:"purl"`
	// Ecosystem is the OSV ecosystem name: Go, npm, PyPI, Maven, crates.io,
	// RubyGems, Packagist, NuGet, Hex, SwiftURL, GitHub Actions, Docker.
	Ecosystem string `json:"ecosystem"`
	// Name is the package name as the ecosystem spells it (Maven
	// "group:artifact", Go module path, npm "@scope/name").
	Name string `json:"name"`
	// Version is the resolved version, or the declared constraint when the
	// manifest resolves nothing (then Constraint is true).
	Version    string `json:"version,omitempty"`
	Constraint bool   `json:"constraint,omitempty"`
	// Direct reports a dependency the project declares itself; false means
	// transitive (pulled in by another dependency).
	Direct bool `json:"direct"`
	// Scope is runtime, dev, test, optional or build; empty when the format
	// does not say.
	Scope string `json:"scope,omitempty"`
	// Manifest is the repository-relative path of the file it came from.
	Manifest string `json:"manifest"`
	// Licenses holds licence expressions the lockfile itself records.
	Licenses []string `json:"licenses,omitempty"`
	// Hashes the lockfile records, e.g. {"sha512": "…"} or {"h1": "…"}.
	Hashes []Hash `json:"hashes,omitempty"`
	// DependsOn lists the PURLs (with versions) of this package's own
	// dependencies within the same manifest, where the lockfile gives a tree.
	DependsOn []string `json:"depends_on,omitempty"`
}

// Hash is a checksum a lockfile records for a package.
type Hash struct {
	// Algorithm is as the lockfile names it: sha1, sha256, sha512, h1 (Go's
	// dirhash, SHA-256 based).
	Algorithm string `json:"alg"`
	// Value is the digest, hex or base64 as recorded.
	Value string `json:"value"`
}

// Dependency scopes.
const (
	ScopeRuntime  = "runtime"
	ScopeDev      = "dev"
	ScopeTest     = "test"
	ScopeOptional = "optional"
	ScopeBuild    = "build"
)

// Usage is one project's use of a package: the answer to "who uses X".
type Usage struct {
	ProjectID  int64  `json:"project_id"`
	Project    string `json:"project"`
	ProjectKey string `json:"project_key"`
	Dependency
}

// ProjectUse is one project's use of a package, all its dependencies on it
// together: the answer to "which projects use X" when the dependency rows
// themselves are not needed.
type ProjectUse struct {
	ProjectID  int64  `json:"project_id"`
	Project    string `json:"project"`
	ProjectKey string `json:"project_key"`
	// Versions are the versions (or constraints) it depends on, sorted,
	// each once.
	Versions []string `json:"versions"`
	// Direct reports whether any of its dependencies on the package is direct.
	Direct bool `json:"direct"`
}

// Technology is a package or language with how widely the estate uses it.
type Technology struct {
	// Kind is "package" or "language".
	Kind string `json:"kind"`
	// ID is the PURL without version for a package, the name for a language.
	ID        string `json:"id"`
	Ecosystem string `json:"ecosystem,omitempty"`
	Name      string `json:"name"`
	Projects  int    `json:"projects"`
	// Versions is the number of distinct versions in use (packages only).
	Versions int `json:"versions,omitempty"`
}

// GoModuleVersion returns version as Go writes a module version, with its
// "v" prefix ("1.8.0" becomes "v1.8.0"), so the two spellings that tools
// use for one Go module version compare and print alike. The standard
// library ("stdlib", whose version is the toolchain's "1.22.1"), an empty
// version and anything not starting with a digit are returned unchanged.
func GoModuleVersion(module, version string) string {
	if module == "stdlib" || version == "" || version[0] < '0' || version[0] > '9' {
		return version
	}
	return "v" + version
}
