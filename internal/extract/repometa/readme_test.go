package repometa

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadmeDescriptionFiles(t *testing.T) {
	tests := map[string]string{
		"badges.md":        "ospo scans an organisation's git repositories into a catalogue of projects, their dependencies, licences and people. It runs as a single binary with ospo up.",
		"html-centered.md": "Composable UI widgets for React & Vue — accessible, themeable and tiny.",
		"frontmatter.md":   "The payments gateway accepts card and SEPA payments from the web shop and forwards them to the acquirer. It owns the payments database.",
		"README.rst":       "requestz is an elegant HTTP library for Python, built on urllib3. See the documentation and the quickstart guide for details.",
		"README":           "libtiny is a small C library for parsing configuration files. It has no dependencies beyond the C standard library.",
		"links-only.md":    "Kit is a fast, opinionated starter kit for building web apps with snake_case_names intact — see https://kit.dev.",
		"README.adoc":      "Asciidoctor Widget renders AsciiDoc documents as interactive widgets.",
		"only-headings.md": "",
		"code-first.md":    "Tool for turning YAML into *JSON*.",
		"long.md":          "This paragraph is deliberately long so that the description has to be cut at a word boundary. It keeps going with more words about the project, what it does, who uses it and why it matters to the organisation. Sentences follow sentences, describing the architecture, the data flow, the storage layer, the scanning workers, the web hub, the command line interface and the many formats it can read and write, including CycloneDX and SPDX software bills of materials, SARIF and JUnit reports for…",
	}
	files, err := filepath.Glob("testdata/readme/*")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(tests) {
		t.Errorf("%d files in testdata/readme, %d expectations", len(files), len(tests))
	}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			want, ok := tests[name]
			if !ok {
				t.Fatalf("no expectation for %s", name)
			}
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if got := ReadmeDescription(name, b); got != want {
				t.Errorf("ReadmeDescription(%s)\n got %q\nwant %q", name, got, want)
			}
		})
	}
}

func TestReadmeDescription(t *testing.T) {
	tests := []struct {
		name, file, in, want string
	}{
		{"empty", "README.md", "", ""},
		{"plain paragraph", "README.md", "Hello world, this is it.\n", "Hello world, this is it."},
		{"crlf and bom", "README.md", "\ufeff# T\r\n\r\nLine one\r\nline two.\r\n", "Line one line two."},
		{"setext heading", "README.md", "Title\n=====\n\nBody text here.", "Body text here."},
		{"multi-line setext heading", "README.md", "Two line\ntitle\n---\n\nBody text here.", "Body text here."},
		{"thematic break", "README.md", "***\n\nBody text here.", "Body text here."},
		{"toml front matter", "README.md", "+++\ntitle = \"x\"\n+++\nBody text here.", "Body text here."},
		{"unclosed front matter", "README.md", "---\nNot front matter at all.", "Not front matter at all."},
		{"multi-line comment", "README.md", "<!--\nhidden text\n-->\nShown text here.", "Shown text here."},
		{"inline comment", "README.md", "Shown <!-- hidden --> text.", "Shown text."},
		{"indented code", "README.md", "    code block line\n\nReal text here.", "Real text here."},
		{"tilde fence", "README.md", "~~~\nfenced text\n~~~\nAfter the fence.", "After the fence."},
		{"long fence", "README.md", "````md\n```\ninner\n```\n````\nAfter the fence.", "After the fence."},
		{"list skipped", "README.md", "- one item\n- two items\n\nThe description.", "The description."},
		{"ordered list skipped", "README.md", "1. first thing\n2) second\n\nThe description.", "The description."},
		{"table skipped", "README.md", "| a | b |\n|---|---|\n\nThe description.", "The description."},
		{"blockquote kept", "README.md", "> A quoted tagline for the tool.", "A quoted tagline for the tool."},
		{"alert skipped", "README.md", "> [!NOTE]\n> Read this first.\n\nThe description.", "The description."},
		{"html heading multi-line", "README.md", "<h1 align=\"center\">\n  Name\n</h1>\n\nThe description.", "The description."},
		{"html details summary", "README.md", "<details>\n<summary>Click me please</summary>\n\nHidden details text.\n</details>", "Hidden details text."},
		{"html script", "README.md", "<script>\nvar x = 'not text';\n</script>\n\nThe description.", "The description."},
		{"entities", "README.md", "Fish &amp; chips &lt;3 &copy; nobody.", "Fish & chips <3 © nobody."},
		{"emoji shortcodes", "README.md", ":sparkles: Shiny :tada: things.", "Shiny things."},
		{"reference links", "README.md", "Read [the guide][guide] now.\n\n[guide]: https://example.com", "Read the guide now."},
		{"reference link definitions only", "README.md", "[a]: https://a\n[b]: https://b\n\nThe description.", "The description."},
		{"autolink email", "README.md", "Mail <team@example.com> for help.", "Mail team@example.com for help."},
		{"escapes", "README.md", `A \[bracket\] and a \# hash and 2 \* 3.`, "A [bracket] and a # hash and 2 * 3."},
		{"snake case kept", "README.md", "Use my_var_name and __init__ here.", "Use my_var_name and init here."},
		{"strikethrough", "README.md", "This is ~~not~~ great.", "This is not great."},
		{"badges then text on one paragraph", "README.md", "[![a](b)](c) [![d](e)](f)\nReal text after badges.", "Real text after badges."},
		{"only a link line", "README.md", "[Docs](https://x) · [API](https://y)\n\nThe description.", "The description."},
		{"bare url line", "README.md", "https://example.com/project\n\nThe description.", "The description."},
		{"copyright skipped", "README.md", "Copyright 2024 Acme Corp.\n\nThe description.", "The description."},
		{"short lead-in skipped", "README.md", "Features:\n\nThe description.", "The description."},
		{"too short", "README.md", "ok\n\nThe description.", "The description."},
		{"invalid utf8", "README.md", "Caf\xe9 culture project.", "Caf\uFFFD culture project."},
		{"nul bytes", "README.md", "Null\x00 byte project here.", "Null byte project here."},
		{"rst field list", "README.rst", ":Author: Jane\n:Version: 1.0\n\nThe description.", "The description."},
		{"rst literal block", "README.rst", "Example::\n\n    code here\n\nThe description.", "The description."},
		{"rst comment", "README.rst", "..\n   a comment\n   more comment\n\nThe description.", "The description."},
		{"rst subst only", "README.rst", "|badge1| |badge2|\n\nThe description.", "The description."},
		{"rst roles and refs", "README.rst", "Use :func:`main` and `Python`_ or Link__ now.", "Use main and Python or Link now."},
		{"rst title with overline", "README.rst", "#####\nTitle\n#####\n\nThe description.", "The description."},
		{"txt uses markdown rules", "README.txt", "TITLE\n-----\n\nThe description.", "The description."},
		{"adoc block", "README.adoc", "----\ncode\n----\n\nThe description.", "The description."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ReadmeDescription(tt.file, []byte(tt.in)); got != tt.want {
				t.Errorf("ReadmeDescription(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestReadmeDescriptionLimits(t *testing.T) {
	long := strings.Repeat("word ", 1000)
	got := ReadmeDescription("README.md", []byte(long))
	if n := len([]rune(got)); n > maxDescription || n < maxDescription-100 {
		t.Errorf("description of %d runes", n)
	}
	if !strings.HasSuffix(got, "word…") {
		t.Errorf("description %q not cut at a word", got[len(got)-20:])
	}
	// A paragraph past the scanned head is not found.
	late := strings.Repeat("# heading\n\n", maxReadmeScan/11+1) + "Too late to be read.\n"
	if got := ReadmeDescription("README.md", []byte(late)); got != "" {
		t.Errorf("found %q past the scan limit", got)
	}
	// One enormous line.
	huge := strings.Repeat("x", 1<<20)
	if got := ReadmeDescription("README.md", []byte(huge)); len([]rune(got)) > maxDescription {
		t.Errorf("description of %d runes", len([]rune(got)))
	}
}

func TestTruncateWords(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{"short", 10, "short"},
		{"exactly ten", 11, "exactly ten"},
		{"one two three four five", 12, "one two…"},
		{"averyveryverylongword", 10, "averyvery…"},
		{"héllo wörld ünïcode", 13, "héllo wörld…"},
		{"stop, here and more", 8, "stop…"},
	}
	for _, tt := range tests {
		if got := truncateWords(tt.in, tt.max); got != tt.want {
			t.Errorf("truncateWords(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
		}
	}
}
