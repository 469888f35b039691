package repometa

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/repofs"
)

// checkReadmeText checks the promises ReadmeExcerpt makes about its text.
func checkReadmeText(t *testing.T, s string) {
	t.Helper()
	switch {
	case !utf8.ValidString(s):
		t.Errorf("readme text is not valid UTF-8")
	case len(s) > maxReadmeText:
		t.Errorf("readme text has %d bytes, more than %d", len(s), maxReadmeText)
	case strings.ContainsAny(s, "\x00\r"):
		t.Errorf("readme text holds a NUL or CR")
	case strings.HasPrefix(s, "\ufeff"):
		t.Errorf("readme text starts with a byte order mark")
	}
}

func TestReadmeFormat(t *testing.T) {
	tests := map[string]string{
		"README.md": catalog.ReadmeMarkdown, "readme.MARKDOWN": catalog.ReadmeMarkdown, "README.mdown": catalog.ReadmeMarkdown,
		"README.rst": catalog.ReadmeRST, "README.rest": catalog.ReadmeRST,
		"README.adoc": catalog.ReadmeAsciiDoc, "README.asciidoc": catalog.ReadmeAsciiDoc, "README.asc": catalog.ReadmeAsciiDoc,
		"README": catalog.ReadmeText, "README.txt": catalog.ReadmeText, "readme": catalog.ReadmeText, "README.html": catalog.ReadmeText,
	}
	for name, want := range tests {
		if got := ReadmeFormat(name); got != want {
			t.Errorf("ReadmeFormat(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestReadmeExcerpt(t *testing.T) {
	file := func(name string) string {
		b, err := os.ReadFile(filepath.Join("testdata", "readmetext", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	const limit = maxReadmeText
	ripgrep := file("ripgrep.md")
	lines := strings.Repeat("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde\n", 1<<14) // 64-byte lines, 1 MiB
	oneLine := strings.Repeat("x", 1<<20)
	runes := strings.Repeat("日", limit) // 3 bytes each: the limit falls inside a rune
	bigFrontMatter := "---\n" + strings.Repeat("key: "+strings.Repeat("v", 100)+"\n", 300) + "---\n# Title\n"

	tests := []struct {
		name string
		path string // the README's name in the repository
		in   string
		want catalog.Readme
	}{
		// Real READMEs (cobra: Apache-2.0, flask: BSD-3-Clause, ripgrep:
		// MIT/Unlicense) are kept as committed.
		{"cobra", "README.md", file("cobra.md"), catalog.Readme{Format: catalog.ReadmeMarkdown, Text: file("cobra.md")}},
		{"flask", "README.md", file("flask.md"), catalog.Readme{Format: catalog.ReadmeMarkdown, Text: file("flask.md")}},
		{"mixed-case name", "Readme.md", file("flask.md"), catalog.Readme{Format: catalog.ReadmeMarkdown, Text: file("flask.md")}},
		// ripgrep's README is 21599 bytes: cut after the last line ending
		// before 16 KiB.
		{"ripgrep cut at a line", "README.md", ripgrep,
			catalog.Readme{Format: catalog.ReadmeMarkdown, Text: ripgrep[:16345], Truncated: true}},

		{"empty", "README", "", catalog.Readme{Format: catalog.ReadmeText}},
		{"invalid UTF-8", "README.md", file("invalid-utf8.md"), catalog.Readme{Format: catalog.ReadmeMarkdown,
			Text: "# Caf\uFFFD \uFFFD tool\n\nBroken \uFFFD sequence and a lone continuation \uFFFD byte; good: 日本.\nTruncated at the end: \uFFFD"}},
		{"NULs", "README.txt", file("nul.txt"), catalog.Readme{Format: catalog.ReadmeText,
			Text: "nul bytes between\nwords\nend\n"}},
		{"CRLF and CR", "README.rst", file("crlf.rst"), catalog.Readme{Format: catalog.ReadmeRST,
			Text: "Title\n=====\n\nWindows line ends.\nOld Mac line end.\nLast line.\n"}},
		{"BOM", "README.adoc", file("bom.adoc"), catalog.Readme{Format: catalog.ReadmeAsciiDoc,
			Text: "= Title\n\nA byte order mark opens this file.\n\ufeffA second one mid-file is kept.\n"}},
		{"front matter", "README.md", file("frontmatter.md"), catalog.Readme{Format: catalog.ReadmeMarkdown,
			Text: "# My project\n\nThe text after the front matter.\n---\nA thematic break is kept.\n"}},
		{"front matter with CRLF, BOM and YAML end marker", "README.md", file("frontmatter-crlf-bom.md"), catalog.Readme{Format: catalog.ReadmeMarkdown,
			Text: "Body after a YAML document end marker.\n"}},
		{"unclosed front matter", "README.md", file("frontmatter-unclosed.md"), catalog.Readme{Format: catalog.ReadmeMarkdown,
			Text: file("frontmatter-unclosed.md")}},
		{"front matter only in Markdown", "README.rst", file("frontmatter.rst"), catalog.Readme{Format: catalog.ReadmeRST,
			Text: file("frontmatter.rst")}},
		{"front matter alone", "README.md", "---\na: b\n---", catalog.Readme{Format: catalog.ReadmeMarkdown}},
		{"front matter does not count against the limit", "README.md", bigFrontMatter + oneLine[:limit-9] + "\n",
			catalog.Readme{Format: catalog.ReadmeMarkdown, Text: "# Title\n" + oneLine[:limit-9] + "\n"}},

		{"exactly the limit", "README", oneLine[:limit-1] + "\n", catalog.Readme{Format: catalog.ReadmeText, Text: oneLine[:limit-1] + "\n"}},
		{"one byte over", "README", oneLine[:limit] + "\n", catalog.Readme{Format: catalog.ReadmeText, Text: oneLine[:limit], Truncated: true}},
		{"1 MiB of lines", "README.md", lines, catalog.Readme{Format: catalog.ReadmeMarkdown, Text: lines[:limit], Truncated: true}},
		{"1 MiB single line", "README.md", oneLine, catalog.Readme{Format: catalog.ReadmeMarkdown, Text: oneLine[:limit], Truncated: true}},
		{"single line cut at a rune", "README.md", runes, catalog.Readme{Format: catalog.ReadmeMarkdown, Text: runes[:limit/3*3], Truncated: true}},
		{"CRLF counted after conversion", "README", strings.Repeat("ab\r\n", limit/3), // 21844 bytes, 16383 as LF
			catalog.Readme{Format: catalog.ReadmeText, Text: strings.Repeat("ab\n", limit/3)}},
		{"short first line then a long one", "README", "# T\n" + oneLine, catalog.Readme{Format: catalog.ReadmeText, Text: "# T\n", Truncated: true}},
		{"invalid bytes at the limit", "README", oneLine[:limit-1] + "\xff\xff\xff", catalog.Readme{Format: catalog.ReadmeText,
			Text: oneLine[:limit-1], Truncated: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ReadmeExcerpt(tt.path, []byte(tt.in))
			want := tt.want
			want.Path = tt.path
			checkReadmeText(t, got.Text)
			if diff := cmp.Diff(want, got); diff != "" {
				if len(diff) > 4000 {
					diff = diff[:4000] + "…"
				}
				t.Errorf("ReadmeExcerpt(%s) (-want +got):\n%s", tt.path, diff)
			}
		})
	}
}

func TestExtractReadme(t *testing.T) {
	tests := []struct {
		name string
		tree repofs.MemTree
		want *catalog.Readme
	}{
		{"none", repofs.MemTree{"main.go": "package main"}, nil},
		{"root only", repofs.MemTree{"docs/README.md": "# Docs"}, nil},
		{"preferred name", repofs.MemTree{"README.rst": "rst", "readme.md": "\ufeff# md\r\n"},
			&catalog.Readme{Path: "readme.md", Format: catalog.ReadmeMarkdown, Text: "# md\n"}},
		{"too large to read", repofs.MemTree{"README": strings.Repeat("x", maxReadmeRead+1)}, nil},
		{"largest read", repofs.MemTree{"README": strings.Repeat("x", maxReadmeRead)},
			&catalog.Readme{Path: "README", Format: catalog.ReadmeText, Text: strings.Repeat("x", maxReadmeText), Truncated: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p catalog.Project
			p.AddFacts(Extract(context.Background(), tt.tree))
			if diff := cmp.Diff(tt.want, p.Readme); diff != "" {
				if len(diff) > 2000 {
					diff = diff[:2000] + "…"
				}
				t.Errorf("Readme (-want +got):\n%s", diff)
			}
		})
	}
}
