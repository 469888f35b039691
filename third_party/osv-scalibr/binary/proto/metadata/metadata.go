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

// OSPO CHANGE (see OSPO-CHANGES.md): only the Protoable interface is kept;
// the registry converting metadata to and from protocol buffers (Register,
// RegisterNil, ProtoToStruct, MessageToStruct, StructToProto) is removed
// with the protobuf dependency.

// Package metadata converts anypb.Any proto to a Protoable struct and vice versa.
package metadata

// Protoable is the interface that all metadata types must implement.
// This is used in the plugger linter to ensure that only intended types serve as metadata,
// and that they are registered for conversion between proto and struct.
type Protoable interface {
	// IsProtoable is a marker method to ensure that only intended types serve as metadata.
	IsProtoable()
}
