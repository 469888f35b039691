package deps

import (
	"context"
	"path"
	"strings"
	"sync"

	"github.com/google/osv-scalibr/extractor/filesystem/language/cpp/conanlock"
	"github.com/google/osv-scalibr/extractor/filesystem/language/dotnet/packagesconfig"
	"github.com/google/osv-scalibr/extractor/filesystem/language/elixir/mixlock"
	"github.com/google/osv-scalibr/extractor/filesystem/language/haskell/cabal"
	"github.com/google/osv-scalibr/extractor/filesystem/language/haskell/stacklock"
	"github.com/google/osv-scalibr/extractor/filesystem/language/java/gradleversioncatalog"
	"github.com/google/osv-scalibr/extractor/filesystem/language/javascript/bunlock"
	"github.com/google/osv-scalibr/extractor/filesystem/language/python/pdmlock"
	"github.com/google/osv-scalibr/extractor/filesystem/language/python/pipfilelock"
	"github.com/google/osv-scalibr/extractor/filesystem/language/python/pylock"
	"github.com/google/osv-scalibr/extractor/filesystem/language/python/requirements"
	"github.com/google/osv-scalibr/extractor/filesystem/language/r/renvlock"
)

// extractors returns the one list of extractors, in the order they are
// asked about each file. Several may read the same file.
//
// Formats and who reads them (scalibr: github.com/google/osv-scalibr v0.5.3
// extractor/filesystem/language/…; ours: this package, where scalibr lacks
// the format or lacks what the catalogue records):
//
//	go.mod (+ go.sum)                        ours: direct/indirect, replace, go.sum h1 hashes
//	package-lock.json, npm-shrinkwrap.json   ours: v1-v3, integrity, licence, tree, direct
//	yarn.lock                                ours: v1 and berry, hashes, tree, workspaces
//	pnpm-lock.yaml                           ours: v5-v9, integrity, tree, importers
//	bun.lock                                 scalibr javascript/bunlock
//	package.json                             ours (manifest)
//	*requirements*.txt, requirements/*.txt   scalibr python/requirements
//	poetry.lock                              ours: hashes, tree, scopes of lock 1.x and 2.1
//	uv.lock                                  ours: workspace members skipped, tree, hashes
//	Pipfile.lock                             scalibr python/pipfilelock
//	pylock.toml, pylock.*.toml               scalibr python/pylock
//	pdm.lock                                 scalibr python/pdmlock
//	pyproject.toml, Pipfile                  ours (manifests: PEP 621, PEP 735, Poetry, uv, PDM)
//	pom.xml, *.pom                           ours, on deps.dev/util/maven like scalibr java/pomxml, without
//	                                         its registry client (5.5 MB of gRPC); parent properties, ranges kept
//	gradle.lockfile                          ours: scopes from configurations
//	gradle/libs.versions.toml                scalibr java/gradleversioncatalog (manifest)
//	build.gradle, build.gradle.kts           ours (manifest): literal coordinates, script variables
//	Cargo.lock                               ours: checksum, tree, workspace members
//	Cargo.toml                               ours (manifest)
//	Gemfile.lock, gems.locked                ours: DEPENDENCIES, tree, CHECKSUMS
//	composer.lock                            ours: licence, dist shasum, tree
//	composer.json                            ours (manifest)
//	packages.lock.json                       ours: Direct/Transitive, contentHash, tree
//	*.csproj, *.fsproj, *.vbproj             ours: PackageReference, central versions, VersionOverride
//	Directory.Packages.props                 ours: GlobalPackageReference (its versions feed projects)
//	packages.config                          scalibr dotnet/packagesconfig
//	mix.lock                                 scalibr elixir/mixlock
//	rebar.lock                               ours: rebar3 1.x and older, Hex names, outer checksum, direct
//	Package.resolved                         ours: v1-v3, revision when unversioned
//	Podfile.lock                             ours: subspecs as their pod, :path: pods skipped, tree, direct
//	pubspec.lock                             ours: path and SDK packages skipped, sha256, direct, dev
//	conan.lock                               scalibr cpp/conanlock (v1 graph and v2 requires)
//	renv.lock                                scalibr r/renvlock (CRAN packages)
//	cabal.project.freeze                     scalibr haskell/cabal
//	stack.yaml.lock                          scalibr haskell/stacklock (Hackage extra-deps)
//	.github/workflows/*.yml, action.yml      ours: GitHub Actions, docker:// images
//	Dockerfile, Containerfile, *.dockerfile  ours: FROM base images, COPY --from
func extractors() []extractor {
	listOnce.Do(func() { list = buildList() })
	return list
}

var (
	listOnce sync.Once
	list     []extractor
)

func buildList() []extractor {
	return []extractor{
		// Go
		own("go.mod", baseIs("go.mod"), parseGoMod),
		// JavaScript
		own("package-lock.json", baseIs("package-lock.json", "npm-shrinkwrap.json"), parseNPMLock),
		own("yarn.lock", baseIs("yarn.lock"), parseYarnLock),
		own("pnpm-lock.yaml", baseIs("pnpm-lock.yaml"), parsePNPMLock),
		&scalibrExtractor{ex: newScalibr(bunlock.New), family: "npm", noScopes: true},
		own("package.json", baseIs("package.json"), parsePackageJSON),
		// Python
		&scalibrExtractor{ex: newScalibr(requirements.New), direct: true, alsoRequired: isRequirementsFile, adjust: adjustRequirement},
		own("poetry.lock", baseIs("poetry.lock"), parsePoetryLock),
		own("uv.lock", baseIs("uv.lock"), parseUVLock),
		&scalibrExtractor{ex: newScalibr(pipfilelock.New), family: "pipfile"},
		&scalibrExtractor{ex: newScalibr(pylock.New), family: "pyproject", toml: true},
		&scalibrExtractor{ex: newScalibr(pdmlock.New), family: "pyproject", toml: true},
		own("pyproject.toml", baseIs("pyproject.toml"), parsePyproject),
		own("Pipfile", baseIs("Pipfile"), parsePipfile),
		// Java
		own("pom.xml", isPOM, parsePOM),
		own("gradle.lockfile", baseIs("gradle.lockfile", "buildscript-gradle.lockfile"), parseGradleLockfile),
		own("build.gradle", isGradleBuild, parseGradleBuild),
		&scalibrExtractor{ex: newScalibr(gradleversioncatalog.New), family: "gradle", manifest: true, direct: true, noScopes: true, toml: true, adjust: adjustMaven},
		// Rust
		own("Cargo.lock", baseIs("Cargo.lock"), parseCargoLock),
		own("Cargo.toml", baseIs("Cargo.toml"), parseCargoToml),
		// Ruby
		own("Gemfile.lock", baseIs("Gemfile.lock", "gems.locked"), parseGemfileLock),
		// PHP
		own("composer.lock", baseIs("composer.lock"), parseComposerLock),
		own("composer.json", baseIs("composer.json"), parseComposerJSON),
		// .NET
		own("packages.lock.json", baseIs("packages.lock.json"), parseNuGetLock),
		own("msbuild", isMSBuildProject, parseMSBuild),
		&scalibrExtractor{ex: newScalibr(packagesconfig.New), direct: true},
		// Elixir
		&scalibrExtractor{ex: newScalibr(mixlock.New)},
		// Erlang
		own("rebar.lock", baseIs("rebar.lock"), parseRebarLock),
		// Swift
		own("Package.resolved", baseIs("Package.resolved"), parsePackageResolved),
		own("Podfile.lock", baseIs("Podfile.lock"), parsePodfileLock),
		// Dart, Flutter
		own("pubspec.lock", baseIs("pubspec.lock"), parsePubspecLock),
		// C and C++
		&scalibrExtractor{ex: newScalibr(conanlock.New), adjust: adjustConan},
		// R
		&scalibrExtractor{ex: newScalibr(renvlock.New)},
		// Haskell
		&scalibrExtractor{ex: newScalibr(cabal.New)},
		&scalibrExtractor{ex: newScalibr(stacklock.New)},
		// CI and containers
		own("github-actions", isActionsFile, parseActions),
		own("dockerfile", isDockerfile, parseDockerfile),
	}
}

// ownExtractor is one of this package's parsers.
type ownExtractor struct {
	id    string
	match func(path string) bool
	parse func(ctx context.Context, in *input, data []byte) (output, error)
}

func own(id string, match func(string) bool, parse func(context.Context, *input, []byte) (output, error)) *ownExtractor {
	return &ownExtractor{id: id, match: match, parse: parse}
}

func (o *ownExtractor) name() string           { return o.id }
func (o *ownExtractor) required(p string) bool { return o.match(p) }
func (o *ownExtractor) extract(ctx context.Context, in *input) (output, error) {
	data, err := in.read()
	if err != nil {
		return output{}, err
	}
	return o.parse(ctx, in, data)
}

// baseIs matches files with one of the base names.
func baseIs(names ...string) func(string) bool {
	return func(p string) bool {
		b := path.Base(p)
		for _, n := range names {
			if b == n {
				return true
			}
		}
		return false
	}
}

// isPOM matches Maven POMs: pom.xml and published *.pom files.
func isPOM(p string) bool {
	return path.Base(p) == "pom.xml" || strings.HasSuffix(p, ".pom")
}

// isMSBuildProject matches .NET project files and Directory.Packages.props.
func isMSBuildProject(p string) bool {
	b := path.Base(p)
	switch strings.ToLower(path.Ext(b)) {
	case ".csproj", ".fsproj", ".vbproj":
		return true
	}
	return b == "Directory.Packages.props"
}
