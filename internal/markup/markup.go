// Package markup turns text from repositories (README excerpts, with Render;
// whole documentation pages, with RenderDocument) into HTML
// that is safe to put in a page: Markdown is rendered by goldmark (GitHub
// flavoured) without its raw HTML, then sanitised by bluemonday; other
// formats are shown as preformatted text.
//
// The output never loads anything: images become their alt text (the hub's
// Content-Security-Policy would block remote images, and a README's
// relative images are not served), and links point only to http(s) or
// mailto addresses: relative ones are resolved against the repository's web
// address when it has one, else dropped.
package markup

import (
	"bytes"
	"html/template"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Formats of the text Render accepts (catalog.Readme.Format).
const (
	Markdown = "markdown"
	Text     = "text"
)

// MaxInput is the most text Render renders; the rest is cut (at a line
// break when there is one) so that no input makes rendering slow.
const MaxInput = 16 << 10

// headingShift is how many levels README headings go down: the page has
// its own h1 and h2, so a README's "# Title" becomes an h3.
const headingShift = 2

// policy and md are built on first use, not at start-up (every ospo command would pay for them).
var policy = sync.OnceValue(func() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.AllowURLSchemes("http", "https", "mailto")
	p.RequireNoFollowOnLinks(true)
	p.RequireNoReferrerOnLinks(true)
	return p
})

var md = sync.OnceValue(func() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(extension.GFM),
		goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(&rewriter{}, 100))),
		// No html.WithUnsafe: raw HTML in the Markdown is left out.
	)
})

// Render returns text in format as safe HTML. base is the web address of
// the repository's files ("https://github.com/org/repo/blob/HEAD/"), used
// to resolve relative links; "" drops them. Markdown (format "markdown")
// is rendered; any other format (reStructuredText, AsciiDoc, plain text)
// is shown as preformatted text.
func Render(format, text, base string) template.HTML {
	return render(format, text, &Document{
		MaxInput:     MaxInput,
		HeadingShift: headingShift,
		Link:         func(dest string) string { return resolve(dest, base) },
	})
}

// Document says how RenderDocument treats a whole Markdown document (a
// page of documentation rather than a README excerpt): how much is
// rendered, how far headings go down, and where its links and images point.
// The zero value renders MaxInput bytes, keeps headings, drops relative
// links and turns images into their alt text.
type Document struct {
	// MaxInput is the most text rendered (cut at a line break); 0 means
	// MaxInput.
	MaxInput int
	// HeadingShift is how many levels headings go down (at most h6).
	HeadingShift int
	// Link maps a link's destination as written ("../faq.md#x",
	// "https://…") to the address put in the page; "" drops the link (its
	// text stays). Nil resolves absolute addresses and fragments only.
	// Whatever it returns still passes the sanitiser, which allows only
	// http, https and mailto schemes and relative addresses.
	Link func(dest string) string
	// Image maps an image's source as written to the address the page
	// loads it from; "" shows the image's alt text instead. Nil turns
	// every image into its alt text.
	Image func(src string) string
}

// RenderDocument returns the Markdown text as safe HTML, with its links
// and images mapped by d (see Document). Raw HTML in the text is left out
// and the result is sanitised as Render's is.
func RenderDocument(text string, d Document) template.HTML {
	if d.MaxInput <= 0 {
		d.MaxInput = MaxInput
	}
	if d.Link == nil {
		d.Link = func(dest string) string { return resolve(dest, "") }
	}
	return render(Markdown, text, &d)
}

func render(format, text string, d *Document) template.HTML {
	text = cut(strings.ToValidUTF8(text, "\uFFFD"), d.MaxInput)
	if format == Markdown {
		text = capQuotes(text)
	}
	if format != Markdown {
		return template.HTML("<pre class=\"readme-text\">" + template.HTMLEscapeString(text) + "</pre>")
	}
	var buf bytes.Buffer
	ctx := parser.NewContext()
	ctx.Set(docKey, d)
	if err := md().Convert([]byte(text), &buf, parser.WithContext(ctx)); err != nil {
		// goldmark fails only on a failing writer; show the text instead.
		return template.HTML("<pre class=\"readme-text\">" + template.HTMLEscapeString(text) + "</pre>")
	}
	return template.HTML(policy().SanitizeBytes(buf.Bytes()))
}

// cut returns at most n bytes of s, ending at its last line break if it
// has one, else at a rune boundary.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n]
	if i := strings.LastIndexByte(s, '\n'); i > 0 {
		return s[:i+1]
	}
	return strings.ToValidUTF8(s, "")
}

// maxQuoteDepth is the deepest blockquote nesting rendered: a line opening
// with more ">" markers keeps this many. Real READMEs nest two or three;
// thousands make a page of hundreds of kilobytes of empty boxes.
const maxQuoteDepth = 8

// capQuotes limits the blockquote markers that open each line of s to
// maxQuoteDepth.
func capQuotes(s string) string {
	if !strings.Contains(s, strings.Repeat(">", maxQuoteDepth+1)) && !strings.Contains(s, strings.Repeat("> ", maxQuoteDepth+1)) {
		return s // the common case: nothing to do
	}
	lines := strings.SplitAfter(s, "\n")
	for i, l := range lines {
		depth, j := 0, 0
		for j < len(l) && (l[j] == '>' || l[j] == ' ' || l[j] == '\t') {
			if l[j] == '>' {
				depth++
				if depth > maxQuoteDepth {
					break
				}
			}
			j++
		}
		if depth > maxQuoteDepth {
			k := j
			for k < len(l) && (l[k] == '>' || l[k] == ' ' || l[k] == '\t') {
				k++
			}
			lines[i] = l[:j] + l[k:]
		}
	}
	return strings.Join(lines, "")
}

var docKey = parser.NewContextKey()

// rewriter maps images and links as the Document in the parser context
// says, and shifts headings down.
type rewriter struct{}

func (*rewriter) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	d, _ := pc.Get(docKey).(*Document)
	if d == nil {
		d = &Document{Link: func(dest string) string { return resolve(dest, "") }}
	}
	src := reader.Source()
	var images []*ast.Image
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			n.Level = min(n.Level+d.HeadingShift, 6)
		case *ast.Image:
			if d.Image != nil {
				if to := d.Image(string(n.Destination)); to != "" {
					n.Destination = []byte(to)
					n.Title = nil
					return ast.WalkSkipChildren, nil
				}
			}
			images = append(images, n)
			return ast.WalkSkipChildren, nil
		case *ast.Link:
			n.Destination = []byte(d.Link(string(n.Destination)))
		case *ast.AutoLink:
			// GFM autolinks are absolute already; the sanitiser checks the scheme.
		}
		return ast.WalkContinue, nil
	})
	for _, img := range images {
		alt := strings.TrimSpace(inlineText(img, src))
		parent := img.Parent()
		if parent == nil {
			continue
		}
		if alt == "" {
			parent.RemoveChild(parent, img)
			continue
		}
		parent.ReplaceChild(parent, img, ast.NewString([]byte(alt)))
	}
}

// inlineText returns the plain text of n's inline children (an image's
// alt text).
func inlineText(n ast.Node, src []byte) string {
	var b strings.Builder
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			b.Write(c.Segment.Value(src))
		case *ast.String:
			b.Write(c.Value)
		default:
			b.WriteString(inlineText(c, src))
		}
	}
	return b.String()
}

// resolve returns the link destination dest made absolute against base,
// or "" when it cannot be: a relative link without a base. Fragments
// ("#usage") are kept: they point within the page.
func resolve(dest, base string) string {
	u, err := url.Parse(strings.TrimSpace(dest))
	if err != nil {
		return ""
	}
	if u.IsAbs() || strings.HasPrefix(dest, "#") {
		return dest
	}
	if base == "" {
		return ""
	}
	b, err := url.Parse(base)
	if err != nil || (b.Scheme != "http" && b.Scheme != "https") {
		return ""
	}
	u.Path = strings.TrimPrefix(u.Path, "/") // repository-root relative
	return b.ResolveReference(u).String()
}

// RepoFilesURL returns the web address under which a repository's files at
// HEAD are shown, for the forges whose layout is known (GitHub and GitHub
// Enterprise, GitLab, Bitbucket), from its remote URL; "" otherwise. Remote
// URLs in SSH form ("git@github.com:org/repo.git") are understood.
func RepoFilesURL(remote string) string {
	remote = strings.TrimSpace(remote)
	if remote == "" {
		return ""
	}
	if at := strings.Index(remote, "@"); at >= 0 && !strings.Contains(remote, "://") {
		// scp-like: git@host:org/repo.git
		hostPath := remote[at+1:]
		host, path, ok := strings.Cut(hostPath, ":")
		if !ok {
			return ""
		}
		remote = "https://" + host + "/" + path
	}
	u, err := url.Parse(remote)
	if err != nil || u.Host == "" {
		return ""
	}
	path := strings.TrimSuffix(strings.Trim(u.Path, "/"), ".git")
	if strings.Count(path, "/") < 1 {
		return ""
	}
	host := strings.ToLower(u.Hostname())
	web := "https://" + host + "/" + path
	switch {
	case host == "github.com" || strings.HasPrefix(host, "github."):
		return web + "/blob/HEAD/"
	case host == "gitlab.com" || strings.HasPrefix(host, "gitlab."):
		return web + "/-/blob/HEAD/"
	case host == "bitbucket.org":
		return web + "/src/HEAD/"
	}
	return ""
}

// LineURL returns the web address of line (0: the whole file) of the file at
// path in the repository whose files are under filesURL (see RepoFilesURL);
// "" when filesURL is "" or path is not a plain relative path.
func LineURL(filesURL, path string, line int) string {
	if filesURL == "" || path == "" || strings.HasPrefix(path, "/") || strings.Contains(path, "..") || strings.ContainsAny(path, "?#\\") {
		return ""
	}
	u := filesURL + (&url.URL{Path: path}).EscapedPath()
	switch {
	case line <= 0:
		return u
	case strings.Contains(filesURL, "://bitbucket.org/"):
		return u + "#lines-" + strconv.Itoa(line)
	}
	return u + "#L" + strconv.Itoa(line)
}
