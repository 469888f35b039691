// Package extract turns a repository's files into facts. Each sub-package
// extracts one kind of fact and provides an Extractor; list.go is the one
// list of them. Run lists a tree once and hands each extractor the files it
// asked for, in the spirit of osv-scalibr's filesystem extractors.
//
// Extractors read only through a repofs.Tree (a committed tree from git or
// a work tree on disk, both confined) and return catalog.Facts values: a
// file that cannot be read or parsed is a Problem in those facts, never an
// error that stops the others.
package extract

import (
	"context"
	"fmt"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/repofs"
)

// Extractor is one kind of fact taken from a tree.
type Extractor interface {
	// Name names the extractor in problems and logs ("deps").
	Name() string
	// FileRequired reports whether Extract needs the file. It is called
	// once per entry of the tree, symlinks and submodules included, and
	// must be cheap and safe for concurrent use.
	FileRequired(f repofs.File) bool
	// Extract returns the facts found in files (the entries of t for which
	// FileRequired was true, sorted by path). It may read other files of
	// t (a lockfile's manifest) but must not list t again. It must not
	// fail: unreadable input is a Problem in the facts. When ctx is done
	// it returns what it has.
	Extract(ctx context.Context, t repofs.Tree, files []repofs.File) catalog.Facts
}

// Run lists t once, hands each extractor the files it requires, and
// returns their facts, one per extractor in the order of exs, to be
// recorded in that order (catalog.Project.AddFacts). An extractor that
// panics gives an internal problem and the others still run.
func Run(ctx context.Context, t repofs.Tree, exs []Extractor) []catalog.Facts {
	listing := t.Files()
	out := make([]catalog.Facts, len(exs))
	for i, ex := range exs {
		out[i] = runOne(ctx, ex, t, required(ex, listing))
	}
	return out
}

// required returns the entries of listing ex requires; the listing itself,
// not a copy, when it requires them all.
func required(ex Extractor, listing []repofs.File) []repofs.File {
	var picked []repofs.File
	all := true
	for i, f := range listing {
		ok := ex.FileRequired(f)
		switch {
		case ok && !all:
			picked = append(picked, f)
		case !ok && all:
			all = false
			picked = append(make([]repofs.File, 0, i), listing[:i]...)
		}
	}
	if all {
		return listing
	}
	return picked
}

func runOne(ctx context.Context, ex Extractor, t repofs.Tree, files []repofs.File) (f catalog.Facts) {
	defer func() {
		if r := recover(); r != nil {
			f = catalog.Facts{Problems: []catalog.Problem{{Kind: catalog.ProblemInternal,
				Message: fmt.Sprintf("extractor %s crashed: %v", ex.Name(), r)}}}
		}
	}()
	return ex.Extract(ctx, t, files)
}
