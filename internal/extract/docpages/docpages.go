// Package docpages finds the Markdown pages of a project's docs/ folder
// (their names, titles and text), so the hub can search every project's
// documentation without reading checkouts per request. Pages are read as
// package docset reads them for the hub's project docs pages (front matter
// title, else first heading, else name; symbolic links never followed).
package docpages

import (
	"context"
	"fmt"
	"path"
	"strings"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/docset"
	"github.com/ospo-project/ospo/internal/repofs"
)

// Dir is the folder whose pages are read.
const Dir = "docs"

// Extractor reads the pages under docs/.
type Extractor struct{}

// Name implements extract.Extractor.
func (Extractor) Name() string { return "docpages" }

// FileRequired implements extract.Extractor: the Markdown files under
// docs/ (".md", ".markdown"), not symbolic links or submodules.
func (Extractor) FileRequired(f repofs.File) bool {
	if f.Symlink || f.Submodule || !strings.HasPrefix(f.Path, Dir+"/") {
		return false
	}
	ext := strings.ToLower(path.Ext(f.Path))
	return ext == ".md" || ext == ".markdown"
}

// Extract implements extract.Extractor: the first catalog.MaxDocPages
// pages, in path order, each with at most catalog.MaxDocText bytes of
// text. A folder that cannot be read is a problem, not a failure.
func (Extractor) Extract(ctx context.Context, t repofs.Tree, files []repofs.File) catalog.Facts {
	if len(files) == 0 {
		return catalog.Facts{}
	}
	set, err := docset.FromTree(only{t, files}, docset.Options{Dir: Dir, MaxPages: catalog.MaxDocPages,
		PageURL: func(name string) string { return name }})
	if err != nil {
		return catalog.Facts{Problems: []catalog.Problem{{Path: Dir, Message: fmt.Sprintf("read the docs: %v", err)}}}
	}
	defer set.Close()
	var f catalog.Facts
	for _, p := range set.Pages() {
		text := p.Text()
		if len(text) > catalog.MaxDocText {
			text = strings.ToValidUTF8(text[:catalog.MaxDocText], "")
		}
		f.Docs = append(f.Docs, catalog.DocPage{Name: p.Name, Title: p.Title, Text: text})
	}
	return f
}

// only is t with its listing narrowed to files (an extractor must not
// list the tree again).
type only struct {
	repofs.Tree
	files []repofs.File
}

func (o only) Files() []repofs.File { return o.files }
