package repometa

import (
	"html"
	"path"
	"strings"
	"unicode"

	"github.com/ospo-project/ospo/internal/lazyre"
)

// readmeNames are the root README files looked for, in order of preference;
// they are compared case-insensitively.
var readmeNames = []string{
	"README.md", "README.markdown", "README.mdown", "README.rst", "README.txt",
	"README", "README.adoc", "README.asciidoc",
}

// Limits for reading a README. Descriptions come from the first paragraphs,
// so only the head of a long README is scanned.
const (
	maxReadmeRead = 1 << 20   // larger READMEs are not read at all
	maxReadmeScan = 256 << 10 // bytes of a README scanned for a paragraph
	maxParagraph  = 16 << 10  // bytes of one paragraph kept for cleaning
)

// ReadmeDescription returns the first real paragraph of a README as plain
// text of at most 500 characters, or "" if it has none. name is the file's
// name and selects the markup: reStructuredText for .rst, AsciiDoc for .adoc,
// Markdown (which also reads plain text well) otherwise.
//
// Front matter, headings, badges and images, HTML tags and comments, code
// blocks, lists, tables, link-only lines and admonitions are skipped; links
// keep their text and emphasis, inline code and entities are turned into
// plain text. Any input is accepted: invalid UTF-8 is replaced and only the
// first 256 KiB are scanned.
func ReadmeDescription(name string, content []byte) string {
	if len(content) > maxReadmeScan {
		content = content[:maxReadmeScan]
	}
	s := strings.ToValidUTF8(string(content), "\uFFFD")
	s = strings.TrimPrefix(s, "\ufeff")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	lines := strings.Split(s, "\n")

	var raw string
	switch strings.ToLower(path.Ext(name)) {
	case ".rst", ".rest":
		raw = firstParagraph(lines, rstLine, cleanRST)
	case ".adoc", ".asciidoc", ".asc":
		raw = firstParagraph(lines, adocLine, cleanMarkdown)
	default:
		raw = firstParagraph(lines[frontMatterEnd(lines):], markdownLine, cleanMarkdown)
	}
	return truncateWords(raw, maxDescription)
}

// lineKind is how a markup's line classifier sees one line.
type lineKind int

const (
	lineText      lineKind = iota // part of a paragraph
	lineBlank                     // ends a paragraph
	lineSkip                      // ignored; ends a paragraph
	lineSkipBlock                 // ignored with the lines that follow it up to a blank line
	lineHeading                   // a heading underline: the paragraph so far was a title
)

// scanner holds a classifier's state across lines (open fences, comments,
// HTML elements being skipped).
type scanner struct {
	fence     string // closing fence of an open code block
	comment   bool   // inside <!-- -->
	skipUntil string // closing tag of an element being skipped (</h1>, </script>)
	directive bool   // rst: inside an indented directive block
}

// firstParagraph returns the first paragraph that holds real text, cleaned.
// classify turns each line into a kind and the text it contributes.
func firstParagraph(lines []string, classify func(*scanner, string, bool) (lineKind, string), clean func(string) (string, bool)) string {
	var sc scanner
	var para []string
	size := 0
	skipping := false
	flush := func() string {
		defer func() { para, size = nil, 0 }()
		if len(para) == 0 {
			return ""
		}
		text, ok := clean(strings.Join(para, " "))
		if !ok {
			return ""
		}
		return text
	}
	for _, line := range lines {
		kind, text := classify(&sc, line, len(para) > 0)
		switch kind {
		case lineBlank:
			skipping = false
			if d := flush(); d != "" {
				return d
			}
		case lineSkip, lineSkipBlock:
			skipping = kind == lineSkipBlock
			if d := flush(); d != "" {
				return d
			}
		case lineHeading:
			para, size = nil, 0
		case lineText:
			if skipping || text == "" {
				continue
			}
			if size+len(text) <= maxParagraph {
				para = append(para, text)
				size += len(text) + 1
			}
		}
	}
	return flush()
}

// frontMatterEnd returns the index of the first line after a YAML ("---")
// or TOML ("+++") front matter block, or 0 if there is none.
func frontMatterEnd(lines []string) int {
	if len(lines) == 0 {
		return 0
	}
	open := strings.TrimSpace(lines[0])
	if open != "---" && open != "+++" {
		return 0
	}
	for i := 1; i < len(lines) && i < 500; i++ {
		t := strings.TrimSpace(lines[i])
		if t == open || (open == "---" && t == "...") {
			return i + 1
		}
	}
	return 0
}

var (
	atxHeading    = lazyre.New(`^#{1,6}(\s|$)`)
	setextLine    = lazyre.New(`^(=+|-+)$`)
	thematicBreak = lazyre.New(`^([-*_])(\s*[-*_]){2,}$`)
	listItem      = lazyre.New(`^([-*+]|\d{1,9}[.)])(\s|$)`)
	linkRefDef    = lazyre.New(`^\[[^\]]+\]:\s*\S`)
	alertMarker   = lazyre.New(`(?i)^\[!(note|tip|important|warning|caution)\]`)
	htmlHeading   = lazyre.New(`(?i)^<(h[1-6])[\s>]`)
	htmlSkipOpen  = lazyre.New(`(?i)^<(script|style|pre|summary|table|svg)[\s>]`)
	htmlTagStart  = lazyre.New(`^</?[A-Za-z][A-Za-z0-9-]*(\s|/?>|$)|^<!`)
)

// markdownLine classifies one Markdown line.
func markdownLine(sc *scanner, line string, inPara bool) (lineKind, string) {
	t := strings.TrimSpace(line)
	if sc.fence != "" {
		if strings.HasPrefix(t, sc.fence) && strings.Trim(t, sc.fence[:1]) == "" {
			sc.fence = ""
		}
		return lineSkip, ""
	}
	if t = stripComments(sc, t); t == "" {
		if sc.comment {
			return lineSkip, ""
		}
		return lineBlank, ""
	}
	if sc.skipUntil != "" {
		if i := strings.Index(strings.ToLower(t), sc.skipUntil); i >= 0 {
			sc.skipUntil = ""
		}
		return lineSkip, ""
	}
	if strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
		n := len(t) - len(strings.TrimLeft(t, t[:1]))
		sc.fence = t[:n]
		return lineSkip, ""
	}
	if !inPara && indent(line) >= 4 {
		return lineSkip, "" // indented code block
	}
	switch {
	case atxHeading.MatchString(t):
		return lineSkip, ""
	case inPara && setextLine.MatchString(t):
		return lineHeading, ""
	case thematicBreak.MatchString(t):
		return lineSkip, ""
	case listItem.MatchString(t), strings.HasPrefix(t, "|"), linkRefDef.MatchString(t):
		return lineSkipBlock, ""
	}
	if strings.HasPrefix(t, ">") {
		for strings.HasPrefix(t, ">") {
			t = strings.TrimSpace(t[1:])
		}
		if alertMarker.MatchString(t) {
			return lineSkipBlock, ""
		}
		if t == "" {
			return lineSkip, ""
		}
	}
	if m := htmlHeading.FindStringSubmatch(t); m != nil {
		closeTag := "</" + strings.ToLower(m[1])
		if !strings.Contains(strings.ToLower(t), closeTag) {
			sc.skipUntil = closeTag
		}
		return lineSkip, ""
	}
	if m := htmlSkipOpen.FindStringSubmatch(t); m != nil {
		closeTag := "</" + strings.ToLower(m[1])
		if !strings.Contains(strings.ToLower(t), closeTag) {
			sc.skipUntil = closeTag
		}
		return lineSkip, ""
	}
	if htmlTagStart.MatchString(t) {
		// An HTML line: keep any text between the tags (a centred tagline),
		// without ending the paragraph when there is none.
		text := strings.TrimSpace(htmlTag.ReplaceAllString(t, " "))
		return lineText, text
	}
	return lineText, t
}

// stripComments removes HTML comments from t, tracking comments that span
// lines.
func stripComments(sc *scanner, t string) string {
	var b strings.Builder
	for t != "" {
		if sc.comment {
			i := strings.Index(t, "-->")
			if i < 0 {
				return strings.TrimSpace(b.String())
			}
			sc.comment = false
			t = t[i+3:]
			continue
		}
		i := strings.Index(t, "<!--")
		if i < 0 {
			b.WriteString(t)
			break
		}
		b.WriteString(t[:i])
		sc.comment = true
		t = t[i+4:]
	}
	return strings.TrimSpace(b.String())
}

func indent(line string) int {
	n := 0
	for _, r := range line {
		switch r {
		case ' ':
			n++
		case '\t':
			n += 4
		default:
			return n
		}
	}
	return n
}

var (
	mdImage       = lazyre.New(`!\[[^\]]*\]\([^)]*\)|!\[[^\]]*\]\[[^\]]*\]`)
	mdAutolink    = lazyre.New(`<((?:https?|ftp)://[^>\s]+|[^@<>\s]+@[^@<>\s]+\.[^@<>\s]+)>`)
	htmlTag       = lazyre.New(`</?[A-Za-z][^<>]*>|<!--[^>]*-->`)
	mdLink        = lazyre.New(`\[([^\[\]]*)\]\([^)]*\)|\[([^\[\]]*)\]\[[^\]]*\]`)
	mdLinkWhole   = lazyre.New(`\[[^\[\]]*\]\([^)]*\)|\[[^\[\]]*\]\[[^\]]*\]`)
	bareURL       = lazyre.New(`(?:https?|ftp)://\S+`)
	emojiCode     = lazyre.New(`:[a-z0-9_+-]{1,40}:`)
	strongEmph    = lazyre.New(`\*\*|__|~~`)
	emphStart     = lazyre.New(`(^|[\s(\["'])[*_]([^\s*_])`)
	emphEnd       = lazyre.New(`([^\s*_])[*_]($|[\s).,;:!?\]"'])`)
	inlineCode    = lazyre.New("`+([^`]*)`+")
	mdEscape      = lazyre.New("\\\\([\\\\`*_{}\\[\\]()#+\\-.!|<>~])")
	shortcutLink  = lazyre.New(`\[([^\[\]]+)\]`)
	spaceRun      = lazyre.New(`\s+`)
	spaceBeforeP  = lazyre.New(`\s+([.,;:!?)])`)
	spaceAfterOpn = lazyre.New(`([(])\s+`)
)

// cleanMarkdown turns a Markdown paragraph into plain text. It reports false
// if the paragraph holds no real text: only badges, images, links or
// punctuation.
func cleanMarkdown(p string) (string, bool) {
	p = mdEscape.ReplaceAllStringFunc(p, hideEscape)
	p = mdImage.ReplaceAllString(p, " ")
	p = mdAutolink.ReplaceAllString(p, "$1")
	p = htmlTag.ReplaceAllString(p, " ")
	if !hasWords(bareURL.ReplaceAllString(mdLinkWhole.ReplaceAllString(p, " "), " ")) {
		return "", false // link-only or badge-only
	}
	p = mdLink.ReplaceAllString(p, "$1$2")
	p = inlineCode.ReplaceAllString(p, "$1")
	p = strongEmph.ReplaceAllString(p, "")
	p = emphStart.ReplaceAllString(p, "$1$2")
	p = emphEnd.ReplaceAllString(p, "$1$2")
	p = shortcutLink.ReplaceAllString(p, "$1")
	p = strings.Map(showEscape, p)
	p = emojiCode.ReplaceAllString(p, "")
	p = html.UnescapeString(p)
	p = tidy(p)
	return p, isDescription(p)
}

// Escaped punctuation (\*) is hidden from the markup rules as a private-use
// rune, U+E000 plus the ASCII code, and shown again at the end.
const escapeBase = 0xE000

func hideEscape(m string) string { return string(rune(escapeBase + int(m[1]))) }

func showEscape(r rune) rune {
	if r >= escapeBase && r < escapeBase+0x80 {
		return r - escapeBase
	}
	return r
}

// isDescription reports whether a cleaned paragraph can describe a project:
// it has words, is not a copyright notice and is not a short lead-in to a
// list ("Table of contents:").
func isDescription(p string) bool {
	if !hasWords(p) {
		return false
	}
	lower := strings.ToLower(p)
	if strings.HasPrefix(lower, "copyright") || strings.HasPrefix(lower, "©") || strings.HasPrefix(lower, "(c)") {
		return false
	}
	if strings.HasSuffix(p, ":") && len(strings.Fields(p)) <= 5 {
		return false
	}
	return true
}

// tidy collapses white space and removes spaces left before punctuation by
// removed markup.
func tidy(p string) string {
	p = oneLine(spaceRun.ReplaceAllString(p, " "))
	p = spaceBeforeP.ReplaceAllString(p, "$1")
	p = spaceAfterOpn.ReplaceAllString(p, "$1")
	return strings.TrimSpace(p)
}

// hasWords reports whether s holds at least three letters or digits.
func hasWords(s string) bool {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if n++; n >= 3 {
				return true
			}
		}
	}
	return false
}

var (
	rstField = lazyre.New(`^:[^:\s][^:]*:(\s|$)`)
	rstList  = lazyre.New(`^([-*+•]|#\.|\d{1,9}[.)]|\(\d{1,9}\))(\s|$)`)
)

// rstLine classifies one reStructuredText line.
func rstLine(sc *scanner, line string, inPara bool) (lineKind, string) {
	t := strings.TrimSpace(line)
	if sc.directive {
		if t == "" || indent(line) > 0 {
			return lineSkip, ""
		}
		sc.directive = false
	}
	switch {
	case t == "":
		return lineBlank, ""
	case t == ".." || strings.HasPrefix(t, ".. "):
		sc.directive = true // directive, comment, target or substitution
		return lineSkip, ""
	case isAdornment(t):
		if inPara {
			return lineHeading, ""
		}
		return lineSkip, "" // an overline
	case !inPara && indent(line) > 0:
		return lineSkipBlock, "" // block quote or literal block
	case rstField.MatchString(t), rstList.MatchString(t), strings.HasPrefix(t, "+-"), strings.HasPrefix(t, "|"):
		if strings.HasPrefix(t, "|") && strings.Count(t, "|") == 2 && strings.HasSuffix(t, "|") {
			return lineText, t // a lone substitution (badge); cleanRST drops it
		}
		return lineSkipBlock, ""
	}
	return lineText, t
}

// isAdornment reports whether t is a reStructuredText section adornment: one
// punctuation character repeated at least twice.
func isAdornment(t string) bool {
	if len(t) < 2 || !strings.ContainsRune("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", rune(t[0])) {
		return false
	}
	return strings.Count(t, t[:1]) == len(t)
}

var (
	rstNamedLink  = lazyre.New("`([^`<]*?)\\s*<[^>`]*>`__?")
	rstRefLink    = lazyre.New("`([^`]+)`__?")
	rstRole       = lazyre.New(":[A-Za-z][\\w:+.-]*:`([^`]*)`")
	rstSubst      = lazyre.New(`\|[^|\s][^|]*\|_{0,2}`)
	rstLiteral    = lazyre.New("``([^`]*)``")
	rstRefWord    = lazyre.New(`\b([A-Za-z0-9]+)__?(\s|$|[.,;:!?)])`)
	rstStrongEmph = lazyre.New(`\*\*([^*]+)\*\*|\*([^*\s][^*]*)\*`)
	rstLinkWhole  = lazyre.New("`[^`]*`__?")
)

// cleanRST turns a reStructuredText paragraph into plain text, reporting
// false if it holds no real text.
func cleanRST(p string) (string, bool) {
	p = rstSubst.ReplaceAllString(p, " ")
	if !hasWords(bareURL.ReplaceAllString(rstLinkWhole.ReplaceAllString(p, " "), " ")) {
		return "", false
	}
	p = rstNamedLink.ReplaceAllString(p, "$1")
	p = rstRole.ReplaceAllString(p, "$1")
	p = rstLiteral.ReplaceAllString(p, "$1")
	p = rstRefLink.ReplaceAllString(p, "$1")
	p = rstRefWord.ReplaceAllString(p, "$1$2")
	p = rstStrongEmph.ReplaceAllString(p, "$1$2")
	p = strings.ReplaceAll(p, "\\", "")
	p = tidy(p)
	return p, isDescription(p)
}

var (
	adocHeading = lazyre.New(`^=+(\s|$)`)
	adocAttr    = lazyre.New(`^:[\w!-]+:`)
	adocBlock   = lazyre.New(`^(-{4,}|\.{4,}|={4,}|\*{4,}|_{4,}|\+{4,}|/{4,})$`)
	adocMacro   = lazyre.New(`^(image|video|audio|include|toc|ifdef|ifndef|ifeval|endif)::`)
	adocInline  = lazyre.New(`(?:https?://|link:|xref:|mailto:)[^\s\[]*\[([^\]]*)\]`)
	adocImage   = lazyre.New(`image:[^\s\[]*\[[^\]]*\]`)
)

// adocLine classifies one AsciiDoc line; it rewrites inline links to the
// Markdown form so that cleanMarkdown handles them.
func adocLine(sc *scanner, line string, inPara bool) (lineKind, string) {
	t := strings.TrimSpace(line)
	if sc.fence != "" {
		if t == sc.fence {
			sc.fence = ""
		}
		return lineSkip, ""
	}
	switch {
	case t == "":
		return lineBlank, ""
	case adocBlock.MatchString(t):
		sc.fence = t
		return lineSkip, ""
	case adocHeading.MatchString(t), adocAttr.MatchString(t), adocMacro.MatchString(t),
		strings.HasPrefix(t, "//"), strings.HasPrefix(t, "["), strings.HasPrefix(t, "."):
		return lineSkip, ""
	case listItem.MatchString(t), strings.HasPrefix(t, "|"):
		return lineSkipBlock, ""
	}
	t = adocImage.ReplaceAllString(t, " ")
	t = adocInline.ReplaceAllStringFunc(t, func(m string) string {
		sub := adocInline.FindStringSubmatch(m)
		return "[" + sub[1] + "](x)"
	})
	return lineText, t
}
