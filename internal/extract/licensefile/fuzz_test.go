package licensefile

import (
	"context"
	"testing"
	"unicode/utf8"

	"github.com/ospo-project/ospo/internal/license"
	"github.com/ospo-project/ospo/internal/repofs"
)

// metadataNames are the package metadata files FuzzMetadata chooses from.
var metadataNames = []string{"package.json", "Cargo.toml", "pyproject.toml", "x.gemspec", "pom.xml",
	"composer.json", "x.csproj", "x.nuspec"}

// checkExpr fails when a licence expression found in hostile input is not
// valid UTF-8 or not in the normal form Normalize gives.
func checkExpr(t *testing.T, what, expr string) {
	t.Helper()
	if !utf8.ValidString(expr) {
		t.Fatalf("%s = %q: invalid UTF-8", what, expr)
	}
	if expr != "" && expr != "unknown" && license.Normalize(expr) != expr {
		t.Fatalf("%s = %q, not normalised (%q)", what, expr, license.Normalize(expr))
	}
}

// FuzzMetadata: the package metadata readers never panic and never return
// invalid UTF-8 or an expression not in normal form, alone or in Detect.
func FuzzMetadata(f *testing.F) {
	seeds := []struct {
		name uint8
		data string
	}{
		{0, `{"name":"x","license":"ISC"}`},
		{0, `{"license":{"type":"MIT"}}`},
		{0, `{"licenses":[{"type":"MIT"},{"type":"Apache-2.0"}]}`},
		{0, `{"license":"(MIT OR Apache-2.0)"}`},
		{0, "{\"license\":\"\xff\"}"},
		{1, "[package]\nname='x'\nlicense = \"MIT OR Apache-2.0\"\n"},
		{1, "[package]\nname='x'\nlicense.workspace = true\n[workspace.package]\nlicense='MIT'\n"},
		{1, "[package]\nlicense = { workspace = true }\n"},
		{1, "[workspace.package]\nlicense = 'Apache-2.0'\n"},
		{2, "[project]\nname='x'\nlicense='MIT OR Apache-2.0'\n"},
		{2, "[project]\nlicense={text='BSD-3-Clause'}\n"},
		{2, "[tool.poetry]\nlicense='MIT'\n"},
		{3, "Gem::Specification.new do |s|\n  s.licenses = ['MIT', 'Ruby']\nend\n"},
		{3, "s.license = \"Apache-2.0\""},
		{4, `<project><licenses><license><name>The Apache Software License, Version 2.0</name></license></licenses></project>`},
		{4, `<project><licenses><license><url>https://opensource.org/licenses/MIT</url></license></licenses></project>`},
		{5, `{"license":["LGPL-2.1-only","GPL-3.0-or-later"]}`},
		{5, `{"license":"MIT"}`},
		{6, `<Project><PropertyGroup><PackageLicenseExpression>MIT</PackageLicenseExpression></PropertyGroup></Project>`},
		{7, `<package><metadata><license type="expression">MIT OR Apache-2.0</license></metadata></package>`},
	}
	for _, s := range seeds {
		f.Add(s.name, []byte(s.data))
	}
	f.Fuzz(func(t *testing.T, choice uint8, data []byte) {
		name := metadataNames[int(choice)%len(metadataNames)]
		got, _ := Metadata(name, data)
		checkExpr(t, "Metadata("+name+")", got)
		pl, _ := Detect(context.Background(), repofs.MemTree{name: string(data)})
		checkExpr(t, "Detect("+name+")", pl.Expression)
		for _, e := range pl.Evidence {
			checkExpr(t, "evidence of "+name, e.License)
		}
	})
}

// FuzzHeaderLicense: SPDX-License-Identifier scanning never panics and
// returns a normalised expression or nothing.
func FuzzHeaderLicense(f *testing.F) {
	for _, s := range []string{
		"// SPDX-License-Identifier: Apache-2.0\npackage a\n",
		"/* SPDX-License-Identifier: MIT OR Apache-2.0 */\n",
		"<!-- SPDX-License-Identifier: CC-BY-4.0 -->\n",
		"# SPDX-License-Identifier: GPL-2.0-or-later WITH Linux-syscall-note\r\n",
		"SPDX-License-Identifier:",
		"SPDX-License-Identifier: \xff\xfe",
		"#!/bin/sh\n# SPDX-License-Identifier: (MIT AND (ISC OR Zlib))\n",
		"// SPDX-License-Identifier: LicenseRef-acme */ -->",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkExpr(t, "HeaderLicense", HeaderLicense(data))
		pl, _ := Detect(context.Background(), repofs.MemTree{"a.go": string(data)})
		checkExpr(t, "Detect(a.go)", pl.Expression)
	})
}
