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

// Package extractor provides the common interface for standalone and filesystem extractors.
package extractor

import (
	"fmt"

	"github.com/google/osv-scalibr/binary/proto/metadata"
	"github.com/google/osv-scalibr/inventory/location"
	"github.com/google/osv-scalibr/inventory/osvecosystem"
	"github.com/google/osv-scalibr/inventory/vex"
	"github.com/google/osv-scalibr/plugin"
	"github.com/google/osv-scalibr/purl"
)

// Extractor is the common interface of inventory extraction plugins.
type Extractor interface {
	plugin.Plugin
}

// LINT.IfChange

// SourceCodeIdentifier lists additional identifiers for source code software packages (e.g. NPM).
type SourceCodeIdentifier struct {
	Repo   string
	Commit string
}

// Package is an instance of a software package or library found by the extractor.
// TODO(b/400910349): Currently package is also used to store non-package data
// like open ports. Move these into their own dedicated types.
// TODO(b/400910349): Move from extractor into a separate package such as inventory.
type Package struct {
	// A human-readable name representation of the package. Note that this field
	// should only be used for things like logging as different packages can have
	// multiple different types of names (e.g. .deb packages have a source name
	// and a binary name), in which case we arbitrarily pick one of them to use here.
	// In cases when the exact name type used is important (e.g. when matching
	// against vuln feeds) you should use the specific name field from the Metadata.
	Name string
	// Unique identifier of the package.
	ID string
	// Parent package IDs for transitive dependencies.
	ParentIDs map[string]bool
	// The version of this package.
	Version string
	// Source code level package identifiers.
	SourceCode *SourceCodeIdentifier
	// Paths or source of files related to the package.
	Location PackageLocation
	// The scan root that this package was found in.
	// TODO(b/400910349): Unify Locations and ScanRoot into a single struct.
	ScanRoot string
	// The PURL type of this package, e.g. "pypi". Used for purl generation.
	PURLType string
	// The names of the Plugins that found this software instance. Set by the core library.
	Plugins []string
	// Signals to indicate that specific vulnerabilities are not applicable to this package.
	ExploitabilitySignals []*vex.PackageExploitabilitySignal
	// Details about the layer that the package was attributed to.
	LayerMetadata *LayerMetadata
	// The additional data found in the package.
	Metadata metadata.Protoable
	// Licenses information of this package
	Licenses []string
	// If true, the package version is deprecated (e.g. yanked, unpublished, deprecated)
	Deprecated bool
}

// PackageLocation stores the paths of files or artifacts related to the package.
type PackageLocation struct {
	// Main descriptor this package was extracted from (if applicable),
	// e.g. the location of the lockfile.
	Descriptor *location.Location
	// Other locations related to this package, e.g. files installed by the OS package.
	Related []location.Location
}

// PathOrEmpty returns the path of the Package's descriptor
// or an empty string if the location is not a file path.
func (p PackageLocation) PathOrEmpty() string {
	if p.Descriptor == nil || p.Descriptor.File == nil {
		return ""
	}
	return p.Descriptor.File.Path
}

// LocationFromPath returns a PackageLocation struct based on
// the file path of the descriptor.
func LocationFromPath(path string) PackageLocation {
	loc := location.FromPath(path)
	return PackageLocation{Descriptor: &loc}
}

// LocationFromPathAndLine returns a PackageLocation struct based on
// the file path of the descriptor and the line number.
func LocationFromPathAndLine(path string, line int) PackageLocation {
	return PackageLocation{
		Descriptor: &location.Location{
			File: &location.File{
				Path:       path,
				LineNumber: line,
			},
		},
	}
}

// RequireID generates an ID for the package if it is empty and returns the ID.
func (p *Package) RequireID() (string, error) {
	id, err := p.GetIDOrGenerate()
	p.ID = id
	return p.ID, err
}

// GetIDOrGenerate returns the ID of the package or a generated ID if it is empty.
func (p *Package) GetIDOrGenerate() (string, error) {
	if p.ID != "" {
		return p.ID, nil
	}
	id, err := GetIDGenerator().GenerateID(p.Name)
	if err != nil {
		return "", fmt.Errorf("failed to generate UUID for %q package %q version %q: %w", p.Ecosystem().String(), p.Name, p.Version, err)
	}
	return id, nil
}

// PURL returns the Package URL of this package.
func (p *Package) PURL() *purl.PackageURL {
	return toPURL(p)
}

// Ecosystem returns the Ecosystem of the package. For software packages this corresponds
// to an OSV ecosystem value, e.g. PyPI.
func (p *Package) Ecosystem() osvecosystem.Parsed {
	return toEcosystem(p)
}

// LINT.ThenChange(/binary/proto/scan_result.proto)
