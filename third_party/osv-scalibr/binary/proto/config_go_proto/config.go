//
// Copyright 2026 Google LLC
//
// Licensed under the Apache License, Version 2.0 (the "License");
// you may not use this file except in compliance with the License.
// You may obtain a copy of the License at
//
// http://www.apache.org/licenses/LICENSE-2.0
//
// Unless required by applicable law or agreed to in writing, software
// distributed under the License is distributed on an "AS IS" BASIS,
// WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
// See the License for the specific language governing permissions and
// limitations under the License.

// OSPO CHANGE (see OSPO-CHANGES.md): this file replaces the generated
// config.pb.go (protoc-gen-go from proto/config.proto). It keeps, as plain Go
// structs with the generated getters, the part of the configuration the
// extractors copied here read: the global max_file_size_bytes and the
// plugin-specific configs of python/requirements, dotnet/packagesconfig,
// elixir/mixlock, haskell/cabal and haskell/stacklock. Without it, every program linking an extractor
// registered the protobuf descriptors of every SCALIBR plugin at start-up.

// Package config_go_proto holds SCALIBR's plugin configuration (trimmed; see
// above).
package config_go_proto

// PluginConfig is the configuration given to every plugin.
type PluginConfig struct {
	// The maximum file size the plugin will process.
	MaxFileSizeBytes int64
	// The local directory to store the downloaded manifests during dependency
	// resolution.
	LocalRegistry string
	// If true, do not try to create google.DefaultClient for Artifact Registry
	// during dependency resolution.
	DisableGoogleAuth bool
	// The user agent to use when running SCALIBR as a CLI binary.
	UserAgent string
	// Config values that only apply to a single plugin.
	PluginSpecific []*PluginSpecificConfig
}

func (x *PluginConfig) GetMaxFileSizeBytes() int64 {
	if x != nil {
		return x.MaxFileSizeBytes
	}
	return 0
}

func (x *PluginConfig) GetLocalRegistry() string {
	if x != nil {
		return x.LocalRegistry
	}
	return ""
}

func (x *PluginConfig) GetDisableGoogleAuth() bool {
	if x != nil {
		return x.DisableGoogleAuth
	}
	return false
}

func (x *PluginConfig) GetUserAgent() string {
	if x != nil {
		return x.UserAgent
	}
	return ""
}

func (x *PluginConfig) GetPluginSpecific() []*PluginSpecificConfig {
	if x != nil {
		return x.PluginSpecific
	}
	return nil
}

// PluginSpecificConfig is the configuration of one plugin: Config holds one
// of the PluginSpecificConfig_* types below.
type PluginSpecificConfig struct {
	Config isPluginSpecificConfig_Config
}

type isPluginSpecificConfig_Config interface {
	isPluginSpecificConfig_Config()
}

type PluginSpecificConfig_DotnetPackagesConfig struct {
	DotnetPackagesConfig *DotnetPackagesConfigConfig
}

type PluginSpecificConfig_ElixirMixLock struct {
	ElixirMixLock *ElixirMixLockConfig
}

type PluginSpecificConfig_PythonRequirements struct {
	PythonRequirements *PythonRequirementsConfig
}

func (*PluginSpecificConfig_DotnetPackagesConfig) isPluginSpecificConfig_Config() {}
func (*PluginSpecificConfig_ElixirMixLock) isPluginSpecificConfig_Config()        {}
func (*PluginSpecificConfig_PythonRequirements) isPluginSpecificConfig_Config()   {}

func (x *PluginSpecificConfig) GetConfig() isPluginSpecificConfig_Config {
	if x != nil {
		return x.Config
	}
	return nil
}

func (x *PluginSpecificConfig) GetDotnetPackagesConfig() *DotnetPackagesConfigConfig {
	if x != nil {
		if x, ok := x.Config.(*PluginSpecificConfig_DotnetPackagesConfig); ok {
			return x.DotnetPackagesConfig
		}
	}
	return nil
}

func (x *PluginSpecificConfig) GetElixirMixLock() *ElixirMixLockConfig {
	if x != nil {
		if x, ok := x.Config.(*PluginSpecificConfig_ElixirMixLock); ok {
			return x.ElixirMixLock
		}
	}
	return nil
}

func (x *PluginSpecificConfig) GetPythonRequirements() *PythonRequirementsConfig {
	if x != nil {
		if x, ok := x.Config.(*PluginSpecificConfig_PythonRequirements); ok {
			return x.PythonRequirements
		}
	}
	return nil
}

// DotnetPackagesConfigConfig configures dotnet/packagesconfig.
type DotnetPackagesConfigConfig struct {
	// The maximum file size the plugin will process. If set, this overrides
	// the global max_file_size_bytes configuration for this specific plugin.
	MaxFileSizeBytes int64
}

func (x *DotnetPackagesConfigConfig) GetMaxFileSizeBytes() int64 {
	if x != nil {
		return x.MaxFileSizeBytes
	}
	return 0
}

// ElixirMixLockConfig configures elixir/mixlock.
type ElixirMixLockConfig struct {
	// The maximum file size the plugin will process. If set, this overrides
	// the global max_file_size_bytes configuration for this specific plugin.
	MaxFileSizeBytes int64
}

func (x *ElixirMixLockConfig) GetMaxFileSizeBytes() int64 {
	if x != nil {
		return x.MaxFileSizeBytes
	}
	return 0
}

// PythonRequirementsConfig configures python/requirements.
type PythonRequirementsConfig struct {
	// The maximum file size the plugin will process. If set, this overrides
	// the global max_file_size_bytes configuration for this specific plugin.
	MaxFileSizeBytes int64
}

func (x *PythonRequirementsConfig) GetMaxFileSizeBytes() int64 {
	if x != nil {
		return x.MaxFileSizeBytes
	}
	return 0
}

type PluginSpecificConfig_HaskellCabal struct {
	HaskellCabal *HaskellCabalConfig
}

func (*PluginSpecificConfig_HaskellCabal) isPluginSpecificConfig_Config() {}

func (x *PluginSpecificConfig) GetHaskellCabal() *HaskellCabalConfig {
	if x != nil {
		if x, ok := x.Config.(*PluginSpecificConfig_HaskellCabal); ok {
			return x.HaskellCabal
		}
	}
	return nil
}

// HaskellCabalConfig configures haskell/cabal.
type HaskellCabalConfig struct {
	// The maximum file size the plugin will process. If set, this overrides
	// the global max_file_size_bytes configuration for this specific plugin.
	MaxFileSizeBytes int64
}

func (x *HaskellCabalConfig) GetMaxFileSizeBytes() int64 {
	if x != nil {
		return x.MaxFileSizeBytes
	}
	return 0
}

type PluginSpecificConfig_HaskellStacklock struct {
	HaskellStacklock *HaskellStacklockConfig
}

func (*PluginSpecificConfig_HaskellStacklock) isPluginSpecificConfig_Config() {}

func (x *PluginSpecificConfig) GetHaskellStacklock() *HaskellStacklockConfig {
	if x != nil {
		if x, ok := x.Config.(*PluginSpecificConfig_HaskellStacklock); ok {
			return x.HaskellStacklock
		}
	}
	return nil
}

// HaskellStacklockConfig configures haskell/stacklock.
type HaskellStacklockConfig struct {
	// The maximum file size the plugin will process. If set, this overrides
	// the global max_file_size_bytes configuration for this specific plugin.
	MaxFileSizeBytes int64
}

func (x *HaskellStacklockConfig) GetMaxFileSizeBytes() int64 {
	if x != nil {
		return x.MaxFileSizeBytes
	}
	return 0
}
