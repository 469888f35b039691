// Package docset reads a set of Markdown pages from one git commit (the
// OSPO's resources repository, a project's docs/ folder) and renders them
// for the hub: each page sanitised by internal/markup, with its title,
// owner and last-updated date, its links between pages and its images
// resolved inside the repository, and a folded text to search.
//
// Threat model: the repository is hostile. Pages are read from the commit's
// tree through git (never the work tree), so a symbolic link is an entry
// whose content is its target and is never followed: a page or image that
// is a symlink is left out, and a link to one is dropped. Paths are the
// tree's own (git refuses "..", absolute and .git paths); a link that
// climbs out of the repository is dropped. Sizes and counts are capped.
package docset

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/url"
	"path"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/gitrepo"
	"github.com/ospo-project/ospo/internal/markup"
	"github.com/ospo-project/ospo/internal/repofs"
)

// Defaults of Options.
const (
	// DefaultMaxPages is how many pages a set holds when Options.MaxPages is 0.
	DefaultMaxPages = 500
	// DefaultMaxPageBytes is the largest page read when Options.MaxPageBytes is 0.
	DefaultMaxPageBytes = 256 << 10
	// MaxImageBytes is the largest image File serves.
	MaxImageBytes = 4 << 20
	// maxSearchText bounds the folded text kept per page for searching.
	maxSearchText = 64 << 10
)

// ErrNotFound is wrapped by Page and File when the set has no such page or
// image. It is a catalog.ErrNotFound.
var ErrNotFound = catalog.Kind("not found", catalog.ErrNotFound)

// Page is one rendered Markdown page.
type Page struct {
	// Path is the page's path in the repository ("policies/licences.md").
	Path string `json:"path"`
	// Name is Path relative to the set's folder and without ".md"
	// ("policies/licences"): how the hub addresses the page.
	Name string `json:"name"`
	// Title is the front matter's title, else the first heading, else Name.
	Title string `json:"title"`
	// Owner is the front matter's owner, else the author of the last change.
	Owner string `json:"owner,omitempty"`
	// Updated is the front matter's updated date, else the date of the last
	// commit that changed the page; zero when neither is known.
	Updated time.Time `json:"updated,omitzero"`
	// Description is the front matter's description (shown in lists).
	Description string `json:"description,omitempty"`
	// HTML is the sanitised rendering.
	HTML template.HTML `json:"-"`
	// text is the folded title, description and body searched.
	text string
}

// Options say which pages a set holds and how its addresses are made.
type Options struct {
	// Commit is the full object id of the commit read; "" means HEAD.
	Commit string
	// Dir is the folder of the repository the pages are under ("docs");
	// "" means the whole repository.
	Dir string
	// PageURL returns the address of the page named name (see Page.Name).
	PageURL func(name string) string
	// FileURL returns the address the image at path (relative to Dir) is
	// served from; nil shows images as their alt text.
	FileURL func(name string) string
	// WebURL is the web address of the repository's files at the commit
	// ("https://github.com/org/repo/blob/COMMIT/"), where links to files
	// that are neither pages nor images point; "" drops those links.
	WebURL string
	// MaxPages and MaxPageBytes cap the set (0: the defaults). Pages beyond
	// MaxPages (in path order) are left out and Truncated says so; a larger
	// page is left out.
	MaxPages, MaxPageBytes int
	// HeadingShift is how many levels page headings go down.
	HeadingShift int
}

// Set is the pages of one commit. It is immutable once loaded and safe for
// concurrent use; File reads through the repository's tree, which Close
// releases.
type Set struct {
	// Commit is the commit the pages were read at.
	Commit string
	// Truncated reports that pages were left out (too many, or too large).
	Truncated bool
	pages     []Page            // sorted by Name
	images    map[string]string // image path under prefix → media type
	prefix    string            // the folder read, "" or ending in "/"
	tree      repofs.Tree
	closer    func() error
}

// imageTypes are the image formats served, by extension. SVG is not among
// them: it is a document that can carry script.
var imageTypes = map[string]string{
	".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp",
}

// Load reads the Markdown pages (".md", ".markdown") under o.Dir at
// o.Commit of the git repository at dir (a work tree or a bare directory).
// Dates and owners not given in front matter come from the git history of
// each page. ctx bounds the loading and the later reading of images by
// File; Close must be called when the set is no longer used.
func Load(ctx context.Context, dir string, o Options) (*Set, error) {
	repo, err := gitrepo.Open(dir)
	if err != nil {
		return nil, err
	}
	tree, err := repo.Tree(ctx, gitrepo.TreeOptions{Commit: o.Commit})
	if err != nil {
		return nil, err
	}
	s, err := build(tree, o)
	if err != nil {
		tree.Close()
		return nil, err
	}
	s.Commit, s.closer = tree.Commit(), tree.Close
	var paths []string
	for _, p := range s.pages {
		paths = append(paths, p.Path)
	}
	changes, err := repo.LastChanges(ctx, tree.Commit(), paths, 0)
	if err != nil {
		tree.Close()
		return nil, err
	}
	for i := range s.pages {
		p := &s.pages[i]
		c, ok := changes[p.Path]
		if !ok {
			continue
		}
		if p.Updated.IsZero() {
			p.Updated = c.Date
		}
		if p.Owner == "" {
			p.Owner = c.Author
		}
	}
	return s, nil
}

// FromTree builds a set from tree as Load does, without git history (dates
// and owners come from front matter only). The caller keeps ownership of
// tree.
func FromTree(tree repofs.Tree, o Options) (*Set, error) { return build(tree, o) }

func build(tree repofs.Tree, o Options) (*Set, error) {
	if o.MaxPages <= 0 {
		o.MaxPages = DefaultMaxPages
	}
	if o.MaxPageBytes <= 0 {
		o.MaxPageBytes = DefaultMaxPageBytes
	}
	prefix := strings.Trim(o.Dir, "/")
	if prefix != "" {
		prefix += "/"
	}
	s := &Set{tree: tree, images: map[string]string{}, prefix: prefix}
	files := map[string]bool{} // regular files under prefix, relative to it
	var mds []repofs.File
	for _, f := range tree.Files() {
		if f.Symlink || f.Submodule || !strings.HasPrefix(f.Path, prefix) {
			continue
		}
		rel := strings.TrimPrefix(f.Path, prefix)
		files[rel] = true
		ext := strings.ToLower(path.Ext(rel))
		switch {
		case ext == ".md" || ext == ".markdown":
			if f.Size > int64(o.MaxPageBytes) {
				s.Truncated = true
				continue
			}
			mds = append(mds, f)
		case imageTypes[ext] != "" && f.Size <= MaxImageBytes:
			s.images[rel] = imageTypes[ext]
		}
	}
	if len(mds) > o.MaxPages {
		mds, s.Truncated = mds[:o.MaxPages], true
	}
	names := map[string]bool{}
	for _, f := range mds {
		names[pageName(strings.TrimPrefix(f.Path, prefix))] = true
	}
	for _, f := range mds {
		data, err := tree.ReadFile(f.Path, int64(o.MaxPageBytes))
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) || errors.Is(err, repofs.ErrTooLarge) {
				s.Truncated = true
				continue
			}
			return nil, fmt.Errorf("read %s: %w", f.Path, err)
		}
		rel := strings.TrimPrefix(f.Path, prefix)
		s.pages = append(s.pages, s.page(f.Path, rel, data, o, names, files))
	}
	slices.SortFunc(s.pages, func(a, b Page) int { return strings.Compare(a.Name, b.Name) })
	return s, nil
}

// pageName is a page's path without its Markdown extension.
func pageName(rel string) string {
	return strings.TrimSuffix(rel, path.Ext(rel))
}

// frontMatter is what a page may declare at its top between "---" lines.
// Other keys (of Hugo, Jekyll, MkDocs) are ignored.
type frontMatter struct {
	Title       string `yaml:"title"`
	Owner       string `yaml:"owner"`
	Description string `yaml:"description"`
	Updated     string `yaml:"updated"`
}

// splitFrontMatter returns the front matter of a page (nil when it has
// none, or it is not a YAML mapping) and the rest of the text.
func splitFrontMatter(text string) (*frontMatter, string) {
	rest, ok := strings.CutPrefix(text, "---\n")
	if !ok {
		if rest, ok = strings.CutPrefix(text, "---\r\n"); !ok {
			return nil, text
		}
	}
	end := strings.Index(rest, "\n---")
	if end < 0 || end > 16<<10 {
		return nil, text
	}
	head, body := rest[:end], rest[end+len("\n---"):]
	if i := strings.IndexByte(body, '\n'); i >= 0 {
		if strings.TrimSpace(body[:i]) != "" {
			return nil, text // "---x": not a closing line
		}
		body = body[i+1:]
	} else if strings.TrimSpace(body) != "" {
		return nil, text
	} else {
		body = ""
	}
	var fm frontMatter
	if err := yaml.Unmarshal([]byte(head), &fm); err != nil {
		return nil, body // malformed: shown without it rather than as text
	}
	return &fm, body
}

// dateLayouts are the forms of a front matter date.
var dateLayouts = []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02"}

func parseDate(s string) time.Time {
	s = strings.TrimSpace(s)
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t
		}
	}
	return time.Time{}
}

// page renders one page read from full (the repository path) and rel (the
// path under the set's folder).
func (s *Set) page(full, rel string, data []byte, o Options, names, files map[string]bool) Page {
	text := strings.ToValidUTF8(string(data), "\uFFFD")
	fm, body := splitFrontMatter(text)
	p := Page{Path: full, Name: pageName(rel)}
	if fm != nil {
		p.Title = oneLine(fm.Title)
		p.Owner = oneLine(fm.Owner)
		p.Description = oneLine(fm.Description)
		p.Updated = parseDate(fm.Updated)
	}
	if p.Title == "" {
		p.Title = firstHeading(body)
	}
	if p.Title == "" {
		p.Title = path.Base(p.Name)
	}
	dir := path.Dir(rel)
	p.HTML = markup.RenderDocument(body, markup.Document{
		MaxInput:     o.MaxPageBytes,
		HeadingShift: o.HeadingShift,
		Link: func(dest string) string {
			return s.link(dir, dest, o, names, files)
		},
		Image: func(src string) string {
			target, _, ok := inside(dir, src)
			if !ok || o.FileURL == nil || s.images[target] == "" {
				return ""
			}
			return o.FileURL(target)
		},
	})
	searchText := p.Title + "\n" + p.Description + "\n" + body
	if len(searchText) > maxSearchText {
		searchText = strings.ToValidUTF8(searchText[:maxSearchText], "")
	}
	p.text = fold(searchText)
	return p
}

// link maps a link written in a page of folder dir: absolute addresses
// and fragments stay; a relative path is resolved in the repository and
// points to the page, the image, or the file on the forge; anything else
// (outside the repository, missing, a symlink) is dropped.
func (s *Set) link(dir, dest string, o Options, names, files map[string]bool) string {
	dest = strings.TrimSpace(dest)
	u, err := url.Parse(dest)
	if err != nil {
		return ""
	}
	if u.Scheme != "" || u.Host != "" || strings.HasPrefix(dest, "#") {
		return dest // the sanitiser allows http, https and mailto only
	}
	target, frag, ok := inside(dir, dest)
	if !ok {
		return ""
	}
	if frag != "" {
		frag = "#" + url.PathEscape(frag)
	}
	name := strings.TrimSuffix(target, "/")
	switch ext := strings.ToLower(path.Ext(name)); {
	case (ext == ".md" || ext == ".markdown") && names[pageName(name)] && o.PageURL != nil:
		return o.PageURL(pageName(name)) + frag
	case ext == "" && names[name] && o.PageURL != nil: // "[FAQ](faq)", as MkDocs writes
		return o.PageURL(name) + frag
	case s.images[name] != "" && o.FileURL != nil:
		return o.FileURL(name)
	case files[name] && o.WebURL != "":
		return markup.LineURL(o.WebURL, path.Join(strings.Trim(o.Dir, "/"), name), 0)
	}
	return ""
}

// inside resolves a relative address written in a page of folder dir to a
// path relative to the set's folder, with its fragment; ok is false when
// the address has a scheme or a host, or climbs out of the folder.
func inside(dir, dest string) (target, frag string, ok bool) {
	u, err := url.Parse(strings.TrimSpace(dest))
	if err != nil || u.Scheme != "" || u.Host != "" || u.Opaque != "" || u.Path == "" {
		return "", "", false
	}
	p := u.Path
	if strings.HasPrefix(p, "/") {
		p = path.Clean(strings.TrimPrefix(p, "/")) // the set's root, as forges read it
	} else {
		p = path.Join(dir, p)
	}
	if p == "." || p == ".." || strings.HasPrefix(p, "../") || strings.Contains(p, "\\") {
		return "", "", false
	}
	return p, u.Fragment, true
}

// firstHeading returns the text of the first ATX heading of a Markdown text.
func firstHeading(body string) string {
	for line := range strings.Lines(body) {
		t := strings.TrimSpace(line)
		if h, ok := strings.CutPrefix(t, "#"); ok {
			return oneLine(strings.Trim(strings.TrimLeft(h, "#"), " #"))
		}
	}
	return ""
}

// oneLine returns s without control characters, trimmed, at most 200 bytes.
func oneLine(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if len(s) > 200 {
		s = strings.ToValidUTF8(s[:200], "") + "…"
	}
	return s
}

func fold(s string) string { return strings.ToLower(s) }

// Pages returns the pages, sorted by Name. The slice must not be modified.
func (s *Set) Pages() []Page { return s.pages }

// Page returns the page named name (see Page.Name). The error wraps
// ErrNotFound when there is none.
func (s *Set) Page(name string) (Page, error) {
	i, ok := slices.BinarySearchFunc(s.pages, name, func(p Page, n string) int { return strings.Compare(p.Name, n) })
	if !ok {
		return Page{}, fmt.Errorf("page %q: %w", name, ErrNotFound)
	}
	return s.pages[i], nil
}

// Text returns what Search matches a query against: the page's title,
// description and Markdown source, lower-cased, at most 64 KiB.
func (p Page) Text() string { return p.text }

// Search returns the pages whose title, description or text contains
// query (case-insensitively), title matches first; an empty query finds
// nothing.
func (s *Set) Search(query string) []Page {
	q := fold(strings.TrimSpace(query))
	if q == "" {
		return nil
	}
	var title, body []Page
	for _, p := range s.pages {
		switch {
		case strings.Contains(fold(p.Title), q):
			title = append(title, p)
		case strings.Contains(p.text, q):
			body = append(body, p)
		}
	}
	return append(title, body...)
}

// File returns the image at name (a path relative to the set's folder)
// and its media type. The error wraps ErrNotFound when the set has no such
// image (not an image type, a symbolic link, too large, outside the
// folder).
func (s *Set) File(name string) ([]byte, string, error) {
	ct := s.images[name]
	if ct == "" {
		return nil, "", fmt.Errorf("file %q: %w", name, ErrNotFound)
	}
	data, err := s.tree.ReadFile(s.prefix+name, MaxImageBytes)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, repofs.ErrTooLarge) {
			return nil, "", fmt.Errorf("file %q: %w", name, ErrNotFound)
		}
		return nil, "", fmt.Errorf("read %s%s: %w", s.prefix, name, err)
	}
	return data, ct, nil
}

// Close releases the repository's tree (File fails after it). It is safe
// to call more than once, and on a set built by FromTree it does nothing.
func (s *Set) Close() error {
	if s.closer == nil {
		return nil
	}
	return s.closer()
}
