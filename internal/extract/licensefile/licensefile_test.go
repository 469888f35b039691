package licensefile

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/repofs"
)

// memTree loads a testdata directory as a repository tree.
func memTree(t *testing.T, dir string) repofs.MemTree {
	t.Helper()
	m := repofs.MemTree{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		m[filepath.ToSlash(rel)] = string(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestRealProjects detects the licence of popular projects from their own
// licence files and metadata (copied into testdata/real).
func TestRealProjects(t *testing.T) {
	tests := map[string]string{
		"cobra":            "Apache-2.0",
		"core":             "MIT", // vue core: LICENSE only, the root package.json is private
		"demo":             "MIT", // symfony demo: LICENSE + composer.json
		"express":          "MIT",
		"flask":            "BSD-3-Clause",
		"phoenix":          "MIT",
		"poetry":           "MIT",
		"ripgrep":          "Unlicense OR MIT", // UNLICENSE + LICENSE-MIT + COPYING saying "either", Cargo.toml agreeing
		"spring-petclinic": "Apache-2.0",
		"rails":            "MIT", // MIT-LICENSE + rails.gemspec
	}
	for name, want := range tests {
		t.Run(name, func(t *testing.T) {
			got, probs := Detect(context.Background(), memTree(t, filepath.Join("testdata", "real", name)))
			if got.Expression != want {
				t.Errorf("Detect = %q, want %q; evidence %+v", got.Expression, want, got.Evidence)
			}
			if len(probs) > 0 {
				t.Errorf("problems: %v", probs)
			}
			if len(got.Evidence) == 0 || got.Confidence <= 0.5 {
				t.Errorf("evidence %+v, confidence %v", got.Evidence, got.Confidence)
			}
		})
	}
}

func TestDetect(t *testing.T) {
	mit, err := os.ReadFile("testdata/real/express/LICENSE")
	if err != nil {
		t.Fatal(err)
	}
	apache, err := os.ReadFile("testdata/real/cobra/LICENSE.txt")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		tree repofs.MemTree
		want string
	}{
		{"nothing", repofs.MemTree{"main.go": "package main\n"}, catalog.LicenseUnknown},
		{"custom text stays unknown", repofs.MemTree{"LICENSE": "You may do what Bob says, on Tuesdays.\n"}, catalog.LicenseUnknown},
		{"rust dual convention", repofs.MemTree{"LICENSE-MIT": string(mit), "LICENSE-APACHE": string(apache)}, "Apache-2.0 OR MIT"},
		{"two texts both apply", repofs.MemTree{"LICENSE": string(mit), "COPYING": string(apache)}, "Apache-2.0 AND MIT"},
		{"metadata states the choice", repofs.MemTree{"LICENSE-MIT": string(mit), "LICENSE-APACHE": string(apache),
			"Cargo.toml": "[package]\nname='x'\nlicense = \"MIT OR Apache-2.0\"\n"}, "MIT OR Apache-2.0"},
		{"package.json only", repofs.MemTree{"package.json": `{"name":"x","license":"ISC"}`}, "ISC"},
		{"package.json words not guessed", repofs.MemTree{"package.json": `{"name":"x","license":"BSD"}`}, catalog.LicenseUnknown},
		{"composer array is a choice", repofs.MemTree{"composer.json": `{"license":["LGPL-2.1-only","GPL-3.0-or-later"]}`}, "LGPL-2.1-only OR GPL-3.0-or-later"},
		{"csproj", repofs.MemTree{"x.csproj": `<Project><PropertyGroup><PackageLicenseExpression>MIT</PackageLicenseExpression></PropertyGroup></Project>`}, "MIT"},
		{"pom", repofs.MemTree{"pom.xml": `<project><licenses><license><name>The Apache Software License, Version 2.0</name></license></licenses></project>`}, "Apache-2.0"},
		{"cargo workspace inherited", repofs.MemTree{"Cargo.toml": "[workspace]\nmembers=['a']\n[workspace.package]\nlicense = \"MIT OR Apache-2.0\"\n[package]\nname='x'\nlicense.workspace = true\n"}, "MIT OR Apache-2.0"},
		{"cargo workspace inline table", repofs.MemTree{"Cargo.toml": "[package]\nname='x'\nlicense = { workspace = true }\n[workspace.package]\nlicense = \"Apache-2.0\"\n"}, "Apache-2.0"},
		{"cargo virtual workspace", repofs.MemTree{"Cargo.toml": "[workspace]\nmembers=['a']\n[workspace.package]\nlicense = \"MIT\"\n"}, "MIT"},
		{"cargo inherited from a workspace elsewhere", repofs.MemTree{"Cargo.toml": "[package]\nname='x'\nlicense.workspace = true\n"}, catalog.LicenseUnknown},
		{"pyproject PEP 639", repofs.MemTree{"pyproject.toml": "[project]\nname='x'\nlicense='MIT OR Apache-2.0'\n"}, "MIT OR Apache-2.0"},
		{"gemspec", repofs.MemTree{"x.gemspec": "Gem::Specification.new do |s|\n  s.licenses = ['MIT', 'Ruby']\nend\n"}, "MIT OR Ruby"},
		{"REUSE", repofs.MemTree{"LICENSES/MIT.txt": string(mit), "LICENSES/CC0-1.0.txt": "..."}, "CC0-1.0 AND MIT"},
		{"LICENSE.spdx", repofs.MemTree{"LICENSE.spdx": "SPDXVersion: SPDX-2.1\nPackageLicenseDeclared: GPL-2.0-or-later\n"}, "GPL-2.0-or-later"},
		{"SPDX headers", repofs.MemTree{"a.go": "// SPDX-License-Identifier: Apache-2.0\npackage a\n",
			"b.c": "/* SPDX-License-Identifier: Apache-2.0 */\n", "vendor/x.go": "// SPDX-License-Identifier: GPL-3.0-only\n"}, "Apache-2.0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, _ := Detect(context.Background(), tc.tree)
			if got.Expression != tc.want {
				t.Errorf("Detect = %q, want %q; evidence %+v", got.Expression, tc.want, got.Evidence)
			}
		})
	}
}

func TestIsLicenseFile(t *testing.T) {
	for name, want := range map[string]bool{
		"LICENSE": true, "LICENSE.md": true, "license.txt": true, "LICENSE-MIT": true, "MIT-LICENSE": true,
		"COPYING": true, "COPYING.LESSER": true, "UNLICENSE": true, "LICENCE": true, "LICENSE.APACHE2": true,
		"license.go": false, "licenses.json": false, "LICENSEE.md": false, "README": false, "license_test.go": false,
	} {
		if got := IsLicenseFile(name); got != want {
			t.Errorf("IsLicenseFile(%q) = %v, want %v", name, got, want)
		}
	}
}

// TestHeaderCoverage counts the real source files of testdata/headers
// (see its SOURCE.md) with a licence notice in their head, and names
// those without one.
func TestHeaderCoverage(t *testing.T) {
	lic, _ := Detect(context.Background(), memTree(t, "testdata/headers"))
	want := &catalog.HeaderCoverage{Files: 8, WithNotice: 6, Missing: []string{"src/ledger.go", "src/pflag_bool.go"}}
	if diff := cmp.Diff(want, lic.Headers); diff != "" {
		t.Errorf("header coverage (-want +got):\n%s", diff)
	}
}

func TestHasNotice(t *testing.T) {
	for _, tc := range []struct {
		name, head string
		want       bool
	}{
		{"spdx", "/* SPDX-License-Identifier: MIT */\nint x;\n", true},
		{"notice wrapped over comment lines", "# This program is\n#   free software: you can\n", true},
		{"copyright only", "// Copyright 2024 ACME. All rights reserved.\npackage a\n", false},
		{"the word licence in code", "package license\n\nfunc License() string { return \"MIT\" }\n", false},
		{"notice after the head", "package a\n" + strings.Repeat("// filler line of a long file\n", 200) + "// Licensed under the MIT licence\n", false},
		{"empty", "", false},
	} {
		if got := HasNotice([]byte(tc.head)); got != tc.want {
			t.Errorf("%s: HasNotice = %v, want %v", tc.name, got, tc.want)
		}
	}
}
