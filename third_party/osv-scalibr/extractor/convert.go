// Copyright 2026 Google LLC
//
// Licensed under the Apache License, Version 2.0 (the "License");
// you may not use this file except in compliance with the License.
// You may obtain a copy of the License at
//
//      http://www.apache.org/licenses/LICENSE-2.0
//
// Unless required by applicable law or agreed to in writing, software
// distributed under the License is distributed on an "AS IS" BASIS,
// WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
// See the License for the specific language governing permissions and
// limitations under the License.

package extractor

// OSPO CHANGE (see OSPO-CHANGES.md): the PURL and ecosystem conversions of
// the OS, SBOM and Windows packages are removed with those extractors.

import (
	"strings"

	hexpurl "github.com/google/osv-scalibr/extractor/filesystem/language/erlang/mixlock/purl"
	gopurl "github.com/google/osv-scalibr/extractor/filesystem/language/golang/purl"
	mavenpurl "github.com/google/osv-scalibr/extractor/filesystem/language/java/purl"
	npmpurl "github.com/google/osv-scalibr/extractor/filesystem/language/javascript/purl"
	composerpurl "github.com/google/osv-scalibr/extractor/filesystem/language/php/purl"
	"github.com/google/osv-scalibr/extractor/filesystem/language/python/pypipurl"
	"github.com/google/osv-scalibr/inventory/osvecosystem"
	"github.com/google/osv-scalibr/purl"
	"github.com/ossf/osv-schema/bindings/go/osvconstants"
)

// toPURL converts a SCALIBR package structure into a package URL.
func toPURL(p *Package) *purl.PackageURL {
	if p.PURLType == "" {
		return nil
	}
	// See if this needs any special type-specific conversion logic.
	if purl := typeSpecificPURL(p); purl != nil {
		return purl
	}
	// All other cases: Set just the name and version.
	return &purl.PackageURL{
		Type:    p.PURLType,
		Name:    p.Name,
		Version: p.Version,
	}
}

func typeSpecificPURL(p *Package) *purl.PackageURL {
	// OSPO CHANGE: the SPDX and CDX metadata cases are removed (their
	// extractors are not copied).

	switch p.PURLType {
	case purl.TypePyPi:
		return pypipurl.MakePackageURL(p.Name, p.Version)
	case purl.TypeMaven:
		return mavenpurl.MakePackageURL(p.Version, p.Metadata)
	case purl.TypeNPM:
		return npmpurl.MakePackageURL(p.Name, p.Version, p.Metadata)
	case purl.TypeComposer:
		return composerpurl.MakePackageURL(p.Name, p.Version)
	case purl.TypeGolang:
		return gopurl.MakePackageURL(p.Name, p.Version)
	case purl.TypeHex:
		return hexpurl.MakePackageURL(p.Name, p.Version)
	case purl.TypeGithub:
		return githubPURL(p.Name, p.Version)
		// OSPO CHANGE: the OS package and "windows" cases are removed (their
		// extractors are not copied): such packages get the generic PURL.
	}
	return nil
}

// githubPURL builds a pkg:github PURL from a Package whose Name is in
// "owner/repo" form (the canonical pkg:github format places the owner in
// the namespace and the repo in the name).
func githubPURL(name, version string) *purl.PackageURL {
	owner, repo, ok := strings.Cut(name, "/")
	if !ok || owner == "" || repo == "" {
		return &purl.PackageURL{
			Type:    purl.TypeGithub,
			Name:    name,
			Version: version,
		}
	}
	return &purl.PackageURL{
		Type:      purl.TypeGithub,
		Namespace: owner,
		Name:      repo,
		Version:   version,
	}
}

// toEcosystem converts a SCALIBR package structure into an OSV ecosystem value
// defined in https://ossf.github.io/osv-schema/#defined-ecosystems
func toEcosystem(p *Package) osvecosystem.Parsed {
	switch p.PURLType {
	// OSPO CHANGE: the OS package case (osecosystem.MakeEcosystem of the
	// package's OS metadata) is removed: its extractors are not copied.
	case purl.TypePyPi:
		return osvecosystem.FromEcosystem(osvconstants.EcosystemPyPI)
	case purl.TypeMaven:
		return osvecosystem.FromEcosystem(osvconstants.EcosystemMaven)
	case purl.TypeNPM:
		return osvecosystem.FromEcosystem(osvconstants.EcosystemNPM)
	case purl.TypeGolang:
		return osvecosystem.FromEcosystem(osvconstants.EcosystemGo)
	case purl.TypeOpam:
		return osvecosystem.FromEcosystem(osvconstants.EcosystemOpam)
	// Not yet supported by OSV yet
	// case purl.TypeCocoapods:
	// 	return string(osvschema.EcosystemCocoaPods)
	case purl.TypeConan:
		return osvecosystem.FromEcosystem(osvconstants.EcosystemConanCenter)
	case purl.TypeCran:
		return osvecosystem.FromEcosystem(osvconstants.EcosystemCRAN)
	case purl.TypeGem:
		return osvecosystem.FromEcosystem(osvconstants.EcosystemRubyGems)
	case purl.TypeNuget:
		return osvecosystem.FromEcosystem(osvconstants.EcosystemNuGet)
	case purl.TypeHackage:
		return osvecosystem.FromEcosystem(osvconstants.EcosystemHackage)
	case purl.TypeHex:
		return osvecosystem.FromEcosystem(osvconstants.EcosystemHex)
	case purl.TypeComposer:
		return osvecosystem.FromEcosystem(osvconstants.EcosystemPackagist)
	case purl.TypeCargo:
		return osvecosystem.FromEcosystem(osvconstants.EcosystemCratesIO)
	case purl.TypeJulia:
		return osvecosystem.FromEcosystem(osvconstants.EcosystemJulia)
	case purl.TypePub:
		return osvecosystem.FromEcosystem(osvconstants.EcosystemPub)
	case purl.TypeDHI:
		return osvecosystem.FromEcosystem(osvconstants.EcosystemDockerHardenedImages)
	case purl.TypeGithub:
		return osvecosystem.FromEcosystem(osvconstants.EcosystemGitHubActions)
	case purl.TypeSwift:
		return osvecosystem.FromEcosystem(osvconstants.EcosystemSwiftURL)
	case purl.TypeBrew:
		return osvecosystem.FromEcosystem(osvconstants.Ecosystem("GIT"))
	case purl.TypeGit:
		return osvecosystem.FromEcosystem(osvconstants.Ecosystem("GIT"))
	}

	// No Ecosystem defined for this package, but if it has a source code commit,
	// return GIT as the ecosystem.
	if p.SourceCode != nil && (p.SourceCode.Commit != "" || p.SourceCode.Repo != "") {
		return osvecosystem.FromEcosystem(osvconstants.Ecosystem("GIT"))
	}

	// No Ecosystem defined for this package.
	return osvecosystem.Parsed{}
}
