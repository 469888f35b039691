// Package languages measures which programming and markup languages a
// repository is written in, the way GitHub's language bar does, using
// go-enry (a Go port of GitHub linguist).
//
// A file counts towards a language when it is a regular file (not a symlink
// or submodule), not a dotfile, not vendored, not documentation and not
// generated, and its language is of type programming or markup. Languages are
// reported by their linguist group (TSX counts as TypeScript). The
// .gitattributes overrides linguist understands (linguist-vendored,
// linguist-generated, linguist-documentation, linguist-detectable and
// linguist-language) are honoured, from every .gitattributes file in the tree.
//
// Detection is designed for trees of 100,000 files: a file's language is taken
// from its name or extension, and its content is read only when the name
// leaves a real doubt. See Detect for when content is read.
package languages

import (
	"context"
	"errors"
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/go-enry/go-enry/v2"
	"github.com/go-enry/go-enry/v2/data"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/repofs"
)

// MaxContent is the largest file whose content Detect reads. Larger files are
// classified by their name alone.
const MaxContent = 16 << 10

// maxProblems caps the per-file problems one call records; a summary problem
// counts the rest.
const maxProblems = 20

// Detect returns the languages of the files in t, sorted by bytes (largest
// first), then by name. Bytes and Files count only the files that are
// included in language statistics (see the package documentation).
//
// A file's language comes from its file name (Makefile, Dockerfile) or its
// extension. Content, at most MaxContent bytes of it, is read only for:
//   - an extension shared by several languages where the rarer ones are
//     plausible (.h: C, C++ or Objective-C; .m; .pl; .sql …), to run linguist's
//     heuristics; extensions where one language dominates in practice (.ts,
//     .rs, .php, .cs, .html, .md …) take that language without reading;
//   - a file with no extension and no known name, to read its shebang;
//   - .js and .css files, to recognise minified and bundled output.
//
// A larger (or unreadable) ambiguous file takes linguist's default for its
// extension, else the extension's first candidate. Generated files are
// otherwise recognised by name (linguist's rules plus common generator
// outputs: *.pb.go, *_pb2.py, zz_generated.*, *.g.dart …): content markers
// such as Go's "Code generated" header are honoured only for files whose
// content was read anyway. Paths longer than MaxPath are treated as vendored.
//
// Problems report unreadable files and .gitattributes files that are too
// large; they never stop detection. If ctx is done, Detect stops and returns
// no languages and a timeout problem.
func Detect(ctx context.Context, t repofs.Tree) ([]catalog.Language, []catalog.Problem) {
	return detect(ctx, t, t.Files())
}

// Facts is Detect over the listing files of t, as facts: the extractor
// of package extract.
func Facts(ctx context.Context, t repofs.Tree, files []repofs.File) catalog.Facts {
	langs, probs := detect(ctx, t, files)
	return catalog.Facts{Languages: langs, Problems: probs}
}

func detect(ctx context.Context, t repofs.Tree, files []repofs.File) ([]catalog.Language, []catalog.Problem) {
	d := &detector{tree: t}
	d.attrs = loadAttributes(t, files, d.problem)

	stats := make(map[string]*catalog.Language)
	for i, f := range files {
		if i%1024 == 0 && ctx.Err() != nil {
			return nil, append(d.problems, catalog.Problem{
				Kind:    catalog.ProblemTimeout,
				Message: fmt.Sprintf("language detection stopped after %d of %d files: %v", i, len(files), ctx.Err()),
			})
		}
		lang, _ := d.classify(f)
		if lang == "" {
			continue
		}
		s := stats[lang]
		if s == nil {
			s = &catalog.Language{Name: lang}
			stats[lang] = s
		}
		s.Bytes += f.Size
		s.Files++
	}
	if d.dropped > 0 {
		d.problems = append(d.problems, catalog.Problem{
			Kind:    catalog.ProblemUnreadable,
			Message: fmt.Sprintf("language detection: %d more unreadable files not listed", d.dropped),
		})
	}

	out := make([]catalog.Language, 0, len(stats))
	for _, s := range stats {
		out = append(out, *s)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Bytes != out[j].Bytes {
			return out[i].Bytes > out[j].Bytes
		}
		return out[i].Name < out[j].Name
	})
	return out, d.problems
}

// Reasons classify gives for leaving a file out of the statistics.
const (
	skipLink          = "symlink or submodule"
	skipUnknown       = "unknown language"
	skipNotDetectable = "not a programming or markup language"
	skipDotfile       = "dotfile"
	skipVendored      = "vendored"
	skipDocumentation = "documentation"
	skipGenerated     = "generated"
	skipBinary        = "binary"
)

type detector struct {
	tree     repofs.Tree
	attrs    *attributes // nil when the tree has no linguist attributes
	problems []catalog.Problem
	dropped  int // problems not recorded because of maxProblems
}

func (d *detector) problem(p catalog.Problem) {
	if len(d.problems) >= maxProblems {
		d.dropped++
		return
	}
	d.problems = append(d.problems, p)
}

// classify returns the language group f counts towards, or "" and the reason
// it is left out.
func (d *detector) classify(f repofs.File) (lang, skip string) {
	if f.Symlink || f.Submodule {
		return "", skipLink
	}
	if len(f.Path) > MaxPath {
		return "", skipVendored
	}
	var a attrSet
	if d.attrs != nil {
		a = d.attrs.lookup(f.Path)
	}
	base := path.Base(f.Path)
	ext := strings.ToLower(path.Ext(base))

	// Candidates by name: the cheap test that settles most files.
	var cands []string
	if a.language != "" {
		cands = []string{a.language}
	} else {
		cands = enry.GetLanguagesByFilename(base, nil, nil)
		if len(cands) == 0 {
			cands = enry.GetLanguagesByExtension(base, nil, nil)
		}
	}
	shebang := len(cands) == 0 && ext == ""
	switch {
	case len(cands) == 0 && !shebang:
		return "", skipUnknown
	case len(cands) > 0 && !anyDetectable(cands, a.detectable):
		return "", skipNotDetectable
	}

	if strings.HasPrefix(base, ".") {
		return "", skipDotfile
	}
	if a.vendored.or(func() bool { return Vendored(f.Path) }) {
		return "", skipVendored
	}
	if a.documentation.or(func() bool { return documentationRules().match(f.Path) }) {
		return "", skipDocumentation
	}
	if a.generated == attrTrue {
		return "", skipGenerated
	}

	// Resolve the language, reading content only when the name leaves doubt.
	var content []byte
	switch {
	case len(cands) == 1:
		lang = cands[0]
	case len(cands) > 1:
		if pref, ok := preferred[ext]; ok && contains(cands, pref) {
			lang = pref
			break
		}
		c := d.read(f)
		switch {
		case c == nil:
			lang = nameDefault(base, cands)
		case enry.IsBinary(c):
			return "", skipBinary
		default:
			content = c
			lang = firstNonEmpty(enry.GetLanguages(base, content))
			if lang == "" {
				lang = nameDefault(base, cands)
			}
		}
	default: // no extension, no known name: look for a shebang or modeline
		c := d.read(f)
		if c == nil {
			return "", skipUnknown
		}
		if enry.IsBinary(c) {
			return "", skipBinary
		}
		content = c
		lang = firstNonEmpty(enry.GetLanguagesByShebang(base, content, nil))
		if lang == "" {
			lang = firstNonEmpty(enry.GetLanguagesByModeline(base, content, nil))
		}
		if lang == "" {
			return "", skipUnknown
		}
	}
	if !detectable(lang, a.detectable) {
		return "", skipNotDetectable
	}

	// Generated: by .gitattributes, by name, then by content if we have it
	// or the extension is worth a read.
	if a.generated == attrUnset {
		if generatedByName(f.Path, ext) {
			return "", skipGenerated
		}
		if content == nil && (ext == ".js" || ext == ".css") {
			content = d.read(f)
		}
		if content != nil && generatedByContent(f.Path, ext, content) {
			return "", skipGenerated
		}
	}

	if g := enry.GetLanguageGroup(lang); g != "" {
		lang = g
	}
	return lang, ""
}

// read returns f's content, or nil when f is empty, larger than MaxContent
// (then nothing is read) or unreadable (then a problem is recorded, and the
// caller decides by name as for a large file).
func (d *detector) read(f repofs.File) []byte {
	if f.Size > MaxContent || f.Size == 0 {
		return nil
	}
	c, err := d.tree.ReadFile(f.Path, MaxContent)
	if err != nil {
		if !errors.Is(err, repofs.ErrTooLarge) {
			d.problem(catalog.Problem{Kind: catalog.ProblemUnreadable, Path: f.Path, Message: "language detection: " + err.Error()})
		}
		return nil
	}
	if len(c) == 0 {
		return nil
	}
	return c
}

// preferred names the language an ambiguous extension is taken to mean
// without reading content, for extensions where the alternatives are rare in
// practice (Qt Linguist .ts files, RenderScript .rs, Hack .php …).
var preferred = map[string]string{
	".ts":   "TypeScript",
	".tsx":  "TSX",
	".rs":   "Rust",
	".php":  "PHP",
	".cs":   "C#",
	".html": "HTML",
	".md":   "Markdown",
	".hh":   "C++",
	".r":    "R",
	".sc":   "Scala",
	".ex":   "Elixir",
	".asm":  "Assembly",
	".ml":   "OCaml",
	".mm":   "Objective-C++",
	".sol":  "Solidity",
	".gd":   "GDScript",
}

// nameDefault picks the language of an ambiguous file whose content is not
// available: linguist's heuristic default for the extension (C for .h) if it
// has exactly one, else the first candidate.
func nameDefault(base string, cands []string) string {
	if d := enry.GetLanguagesByContent(base, nil, nil); len(d) == 1 && contains(cands, d[0]) {
		return d[0]
	}
	return cands[0]
}

// detectableTypes are the language types GitHub counts in its language bar.
func detectableType(lang string) bool {
	switch enry.GetLanguageType(lang) {
	case enry.Programming, enry.Markup:
		return true
	}
	return false
}

// detectable reports whether lang counts, given the linguist-detectable
// attribute, which overrides the type rule when set.
func detectable(lang string, attr attrState) bool {
	switch attr {
	case attrTrue:
		return lang != ""
	case attrFalse:
		return false
	}
	return detectableType(lang)
}

func anyDetectable(cands []string, attr attrState) bool {
	for _, c := range cands {
		if detectable(c, attr) {
			return true
		}
	}
	return false
}

// generatedSuffixes are file-name endings of common generator outputs that
// linguist only recognises by content (or not at all). Each is matched against
// the lower-cased base name.
var generatedSuffixes = []string{
	".pb.go", ".pb.gw.go", ".pb.validate.go", "_pb2.py", "_pb2_grpc.py", "_pb2.pyi",
	".pb.cc", ".pb.h", ".pb.swift", "_pb.js", "_pb.d.ts", "_grpc_pb.js",
	".gen.go", "_generated.go", ".g.dart", ".freezed.dart", ".mocks.dart",
	".bundle.js", ".chunk.js", ".min.mjs",
}

// generatedByName reports whether linguist's name rules or generatedSuffixes
// mark path as generated.
func generatedByName(p, ext string) bool {
	if _, ok := data.GeneratedCodeExtensions()[ext]; ok {
		return true
	}
	if linguistGeneratedName(p) {
		return true
	}
	if strings.HasSuffix(p, ".js.map") || strings.HasSuffix(p, ".css.map") {
		return true
	}
	base := strings.ToLower(path.Base(p))
	if strings.HasPrefix(base, "zz_generated") || strings.Contains(base, ".generated.") {
		return true
	}
	for _, s := range generatedSuffixes {
		if strings.HasSuffix(base, s) {
			return true
		}
	}
	return false
}

// generatedByContent runs linguist's content rules for generated code (the
// second half of enry.IsGenerated, whose name rules generatedByName has run).
func generatedByContent(p, ext string, content []byte) bool {
	lp := strings.ToLower(p)
	for _, m := range data.GeneratedCodeMatchers {
		if m(lp, ext, content) {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, l := range list {
		if l == s {
			return true
		}
	}
	return false
}

func firstNonEmpty(list []string) string {
	for _, l := range list {
		if l != "" {
			return l
		}
	}
	return ""
}
