package licensefile

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
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

// FuzzNoticeText: the ASCII fast path of HasNotice gives the text the
// general one (package bytes' Fields and ToLower) gives, and declines only
// text with a non-ASCII byte.
func FuzzNoticeText(f *testing.F) {
	for _, s := range noticeSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, head []byte) {
		checkNoticeText(t, head)
	})
}

var noticeSeeds = []string{
	"", " ", "// -- # ;; <!-- -->", "/*\n * Licensed under the Apache License\n */",
	"#\tThis program is\v free\fsoftware\r\n", "PERMISSION is HEREBY granted", "ä Licensed", "x\x00y \x85z",
	"%% released under the ** MIT", "!<>%", "a-b c/d", "this free software", "spdx-license-identifier:",
	"xdistributed under the", "made available under the terms of th",
}

func checkNoticeText(t *testing.T, head []byte) {
	t.Helper()
	got, ok := noticeText(nil, head)
	ascii := true
	for _, c := range head {
		if c >= 0x80 {
			ascii = false
		}
	}
	if ok != ascii {
		t.Fatalf("noticeText(%q) ok = %v, want %v", head, ok, ascii)
	}
	want := noticeTextUnicode(head)
	if ok && !bytes.Equal(got, want) {
		t.Fatalf("noticeText(%q) = %q, want %q", head, got, want)
	}
	found := false
	for _, n := range notices {
		found = found || bytes.Contains(want, []byte(n))
	}
	if containsNotice(want) != found {
		t.Fatalf("containsNotice(%q) = %v, want %v", want, !found, found)
	}
}

// TestNoticeTextRealFiles compares the two paths on the heads of the real
// source and licence files of testdata.
func TestNoticeTextRealFiles(t *testing.T) {
	n := 0
	err := filepath.WalkDir("testdata", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		checkNoticeText(t, data[:min(len(data), headerBytes)])
		n++
		return nil
	})
	if err != nil || n < 50 {
		t.Fatalf("walked %d files: %v", n, err)
	}
}

// BenchmarkHasNotice reads the heads of testdata's files for notices, with
// the ASCII fast path (HasNotice) and, for reference, the general text.
func BenchmarkHasNotice(b *testing.B) {
	var heads [][]byte
	filepath.WalkDir("testdata", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if data, err := os.ReadFile(p); err == nil {
				heads = append(heads, data[:min(len(data), headerBytes)])
			}
		}
		return nil
	})
	b.Run("HasNotice", func(b *testing.B) {
		for b.Loop() {
			for _, h := range heads {
				HasNotice(h)
			}
		}
	})
	b.Run("reference=bytes.Fields+ToLower", func(b *testing.B) {
		for b.Loop() {
			for _, h := range heads {
				l := noticeTextUnicode(h)
				for _, n := range notices {
					if bytes.Contains(l, []byte(n)) {
						break
					}
				}
				_ = l
			}
		}
	})
}
