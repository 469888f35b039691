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

// Package metadata defines a metadata struct for Bazel Tools.
package metadata

// OSPO CHANGE (see OSPO-CHANGES.md): the conversions to and from protocol
// buffers (ToProto, ToStruct and the like, and their registration with
// binary/proto/metadata) are removed.

// Metadata holds parsing information for a Bazel tool.
type Metadata struct {
	Name       string // Full Name of the dependency
	GroupID    string // Maven group ID
	ArtifactID string // Maven artifact ID
	Version    string // Maven version
	RuleName   string // Bazel rule name
}

// IsProtoable marks the struct as a metadata type.
func (m *Metadata) IsProtoable() {}
