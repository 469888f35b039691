package repometa

import (
	"path"
	"strings"
	"unicode/utf8"

	"github.com/ospo-project/ospo/internal/catalog"
)

// maxReadmeText is the most bytes of README text kept in Project.Readme.
const maxReadmeText = 16 << 10

// ReadmeFormat returns the markup of a README from its file name: one of
// the catalog.Readme* formats. Names without a known markup extension
// (README, README.txt) are plain text.
func ReadmeFormat(name string) string {
	switch strings.ToLower(path.Ext(name)) {
	case ".md", ".markdown", ".mdown":
		return catalog.ReadmeMarkdown
	case ".rst", ".rest":
		return catalog.ReadmeRST
	case ".adoc", ".asciidoc", ".asc":
		return catalog.ReadmeAsciiDoc
	}
	return catalog.ReadmeText
}

// ReadmeExcerpt returns the head of the README at path name with content
// content, ready to be stored and later rendered:
//
//   - the text is valid UTF-8 (each run of invalid bytes becomes U+FFFD),
//     without NUL bytes or a leading byte order mark, with LF line ends
//     (CRLF and lone CR become LF);
//   - Markdown front matter (a YAML "---" or TOML "+++" block opening the
//     file, see frontMatterEnd) is removed with the blank lines after it;
//   - the text is cut to at most 16 KiB after the last line break within the
//     limit, or at a rune boundary if the head holds no line break, and
//     Truncated is set.
//
// Any input is accepted.
func ReadmeExcerpt(name string, content []byte) catalog.Readme {
	r := catalog.Readme{
		Path:   strings.ToValidUTF8(name, "\uFFFD"),
		Format: ReadmeFormat(name),
	}
	s := normaliseReadme(content)
	if r.Format == catalog.ReadmeMarkdown {
		s = stripFrontMatter(s)
	}
	r.Text, r.Truncated = cutText(s, maxReadmeText)
	return r
}

// normaliseReadme returns content as valid UTF-8 without NULs or a byte
// order mark, with LF line ends. NULs go first, so that "\r\x00\n" is one
// line end.
func normaliseReadme(content []byte) string {
	s := strings.ToValidUTF8(string(content), "\uFFFD")
	s = strings.ReplaceAll(s, "\x00", "")
	s = strings.TrimPrefix(s, "\ufeff")
	if strings.IndexByte(s, '\r') >= 0 {
		s = strings.ReplaceAll(s, "\r\n", "\n")
		s = strings.ReplaceAll(s, "\r", "\n")
	}
	return s
}

// stripFrontMatter removes a front matter block from the top of s (which
// has LF line ends) and the blank lines that follow it. Only the first 500
// lines are looked at, as in frontMatterEnd.
func stripFrontMatter(s string) string {
	const maxLines = 500
	lines := strings.SplitN(s, "\n", maxLines+1) // the last holds the rest, unexamined
	end := frontMatterEnd(lines)
	if end == 0 {
		return s
	}
	off := 0
	for _, l := range lines[:end] {
		off += len(l) + 1
	}
	if off >= len(s) {
		return ""
	}
	return strings.TrimLeft(s[off:], "\n")
}

// cutText returns s cut to at most max bytes: after the last LF within the
// limit, else at the last rune boundary within it. s must be valid UTF-8.
// It reports whether s was cut.
func cutText(s string, max int) (string, bool) {
	if len(s) <= max {
		return s, false
	}
	if i := strings.LastIndexByte(s[:max], '\n'); i >= 0 {
		return s[:i+1], true
	}
	n := max
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n], true
}
