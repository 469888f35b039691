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

package cabal_test

import (
	"errors"
	"io/fs"
	"path/filepath"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/google/osv-scalibr/extractor"
	"github.com/google/osv-scalibr/extractor/filesystem"
	"github.com/google/osv-scalibr/extractor/filesystem/internal/units"
	"github.com/google/osv-scalibr/extractor/filesystem/language/haskell/cabal"
	"github.com/google/osv-scalibr/extractor/filesystem/simplefileapi"
	"github.com/google/osv-scalibr/inventory"
	"github.com/google/osv-scalibr/purl"
	"github.com/google/osv-scalibr/stats"
	"github.com/google/osv-scalibr/testing/extracttest"
	"github.com/google/osv-scalibr/testing/fakefs"
	"github.com/google/osv-scalibr/testing/testcollector"

	cpb "github.com/google/osv-scalibr/binary/proto/config_go_proto"
)

func TestFileRequired(t *testing.T) {
	tests := []struct {
		name             string
		path             string
		fileSizeBytes    int64
		maxFileSizeBytes int64
		wantRequired     bool
		wantResultMetric stats.FileRequiredResult
	}{
		{
			name:             "cabal.project.freeze file",
			path:             "software-develop/cabal.project.freeze",
			wantRequired:     true,
			wantResultMetric: stats.FileRequiredResultOK,
		},
		{
			name:             "cabal.project.freeze file required if file size < max file size",
			path:             "software-develop/cabal.project.freeze",
			fileSizeBytes:    100 * units.KiB,
			maxFileSizeBytes: 1000 * units.KiB,
			wantRequired:     true,
			wantResultMetric: stats.FileRequiredResultOK,
		},
		{
			name:             "cabal.project.freeze file required if file size == max file size",
			path:             "software-develop/cabal.project.freeze",
			fileSizeBytes:    1000 * units.KiB,
			maxFileSizeBytes: 1000 * units.KiB,
			wantRequired:     true,
			wantResultMetric: stats.FileRequiredResultOK,
		},
		{
			name:             "cabal.project.freeze file not required if file size > max file size",
			path:             "software-develop/cabal.project.freeze",
			fileSizeBytes:    1000 * units.KiB,
			maxFileSizeBytes: 100 * units.KiB,
			wantRequired:     false,
			wantResultMetric: stats.FileRequiredResultSizeLimitExceeded,
		},
		{
			name:             "cabal.project.freeze file required if max file size set to 0",
			path:             "software-develop/cabal.project.freeze",
			fileSizeBytes:    100 * units.KiB,
			maxFileSizeBytes: 0,
			wantRequired:     true,
			wantResultMetric: stats.FileRequiredResultOK,
		},
		{
			name:         "not required",
			path:         "software-develop/cabal.project.freeze/foo",
			wantRequired: false,
		},
		{
			name:         "not required",
			path:         "software-develop/foocabal.project.freeze",
			wantRequired: false,
		},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			collector := testcollector.New()
			e, err := cabal.New(&cpb.PluginConfig{MaxFileSizeBytes: tt.maxFileSizeBytes})
			if err != nil {
				t.Fatalf("New() unexpected error: %v", err)
			}
			e.(*cabal.Extractor).Stats = collector

			fileSizeBytes := tt.fileSizeBytes
			if fileSizeBytes == 0 {
				fileSizeBytes = 1000
			}

			isRequired := e.FileRequired(simplefileapi.New(tt.path, fakefs.FakeFileInfo{
				FileName: filepath.Base(tt.path),
				FileMode: fs.ModePerm,
				FileSize: fileSizeBytes,
			}))
			if isRequired != tt.wantRequired {
				t.Fatalf("FileRequired(%s): got %v, want %v", tt.path, isRequired, tt.wantRequired)
			}

			gotResultMetric := collector.FileRequiredResult(tt.path)
			if tt.wantResultMetric != "" && gotResultMetric != tt.wantResultMetric {
				t.Errorf("FileRequired(%s) recorded result metric %v, want result metric %v", tt.path, gotResultMetric, tt.wantResultMetric)
			}
		})
	}
}

func TestExtract(t *testing.T) {
	tests := []extracttest.TestTableEntry{
		{
			Name: "valid cabal.project.freeze file",
			InputConfig: extracttest.ScanInputMockConfig{
				Path: "testdata/valid",
			},
			WantPackages: []*extractor.Package{
				{
					Name:     "AC-Angle",
					Version:  "1.0",
					PURLType: purl.TypeHackage,
					Location: extractor.LocationFromPath("testdata/valid"),
				},
				{
					Name:     "ALUT",
					Version:  "2.4.0.3",
					PURLType: purl.TypeHackage,
					Location: extractor.LocationFromPath("testdata/valid"),
				},
				{
					Name:     "ANum",
					Version:  "0.2.0.2",
					PURLType: purl.TypeHackage,
					Location: extractor.LocationFromPath("testdata/valid"),
				},
				{
					Name:     "Agda",
					Version:  "2.6.4.3",
					PURLType: purl.TypeHackage,
					Location: extractor.LocationFromPath("testdata/valid"),
				},
				{
					Name:     "Allure",
					Version:  "0.11.0.0",
					PURLType: purl.TypeHackage,
					Location: extractor.LocationFromPath("testdata/valid"),
				},
			},
		},
		{
			Name: "valid cabal.project.freeze file with package problems",
			InputConfig: extracttest.ScanInputMockConfig{
				Path: "testdata/valid_2",
			},
			WantPackages: []*extractor.Package{
				{
					Name:     "AC-Angle",
					Version:  "1.0",
					PURLType: purl.TypeHackage,
					Location: extractor.LocationFromPath("testdata/valid_2"),
				},
				{
					Name:     "ANum",
					Version:  "0.2.0.2",
					PURLType: purl.TypeHackage,
					Location: extractor.LocationFromPath("testdata/valid_2"),
				},
				{
					Name:     "Agda",
					Version:  "2.6.4.3",
					PURLType: purl.TypeHackage,
					Location: extractor.LocationFromPath("testdata/valid_2"),
				},
				{
					Name:     "Allure",
					Version:  "0.11.0.0",
					PURLType: purl.TypeHackage,
					Location: extractor.LocationFromPath("testdata/valid_2"),
				},
			},
		},
		{
			Name: "invalid",
			InputConfig: extracttest.ScanInputMockConfig{
				Path: "testdata/invalid",
			},
			WantPackages: []*extractor.Package{},
		},
	}

	for _, tt := range tests {
		t.Run(tt.Name, func(t *testing.T) {
			collector := testcollector.New()

			e, err := cabal.New(&cpb.PluginConfig{MaxFileSizeBytes: 100})
			if err != nil {
				t.Fatalf("New() unexpected error: %v", err)
			}
			e.(*cabal.Extractor).Stats = collector

			scanInput := extracttest.GenerateScanInputMock(t, tt.InputConfig)
			defer extracttest.CloseTestScanInput(t, scanInput)

			got, err := e.Extract(t.Context(), &scanInput)

			if diff := cmp.Diff(tt.WantErr, err, cmpopts.EquateErrors()); diff != "" {
				t.Errorf("%s.Extract(%q) error diff (-want +got):\n%s", e.Name(), tt.InputConfig.Path, diff)
				return
			}

			wantInv := inventory.Inventory{Packages: tt.WantPackages}
			if diff := cmp.Diff(wantInv, got, cmpopts.SortSlices(extracttest.PackageCmpLess)); diff != "" {
				t.Errorf("%s.Extract(%q) diff (-want +got):\n%s", e.Name(), tt.InputConfig.Path, diff)
			}
		})
	}
}

func TestExtract_ScannerError(t *testing.T) {
	e, err := cabal.New(&cpb.PluginConfig{})
	if err != nil {
		t.Fatalf("cabal.New: %v", err)
	}

	input := &filesystem.ScanInput{
		Path:   "cabal.project.freeze",
		Reader: iotest.ErrReader(errors.New("mock read error")),
	}

	wantErr := extracttest.ContainsErrStr{Str: "error while scanning cabal.project.freeze file: mock read error"}
	_, err = e.Extract(t.Context(), input)
	if diff := cmp.Diff(wantErr, err, cmpopts.EquateErrors()); diff != "" {
		t.Errorf("e.Extract() error diff (-want +got):\n%s", diff)
	}
}
