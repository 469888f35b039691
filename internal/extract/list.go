package extract

import (
	"context"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/extract/deps"
	"github.com/ospo-project/ospo/internal/extract/docpages"
	"github.com/ospo-project/ospo/internal/extract/languages"
	"github.com/ospo-project/ospo/internal/extract/licensefile"
	"github.com/ospo-project/ospo/internal/extract/pkgname"
	"github.com/ospo-project/ospo/internal/extract/repometa"
	"github.com/ospo-project/ospo/internal/repofs"
)

// List returns the extractors a scan runs over a tree, in the order their
// facts are merged. This is the one place extractors are listed; history
// (package gitlog) is not a tree extractor and is mined by the pipeline
// for committed trees only.
//
//	languages    languages and byte counts (go-enry)                every file
//	repometa     description, topics, owners, hygiene files, README,
//	             pinning of workflow/Dockerfile/shell dependencies   every file
//	licensefile  the project's own licence                          every file
//	deps         dependencies from manifests and lockfiles          manifests and lockfiles (deps/list.go)
//	pkgname      the names the root manifests publish the project as  root manifests
//	docpages     the titles and text of the docs/ Markdown pages      docs/**/*.md
func List() []Extractor {
	return []Extractor{
		everyFile{"languages", languages.Facts},
		everyFile{"repometa", repometa.Facts},
		everyFile{"licensefile", licensefile.Facts},
		deps.Extractor{},
		pkgname.Extractor{},
		docpages.Extractor{},
	}
}

// Inventory returns the extractors of what an SBOM records of a tree
// besides the repository's identity: the project's description (from the
// root metadata files and README alone, see repometa.Description) and its
// dependencies, merged in List's order. No other file is read.
func Inventory() []Extractor {
	return []Extractor{repometa.DescriptionExtractor{}, deps.Extractor{}}
}

// Dependencies returns the extractors of the dependency inventory alone.
func Dependencies() []Extractor { return []Extractor{deps.Extractor{}} }

// everyFile is an extractor that reads every file of the tree: language
// byte counts, hygiene counts and licence headers cover them all.
type everyFile struct {
	name string
	fn   func(ctx context.Context, t repofs.Tree, files []repofs.File) catalog.Facts
}

func (e everyFile) Name() string                  { return e.name }
func (e everyFile) FileRequired(repofs.File) bool { return true }
func (e everyFile) Extract(ctx context.Context, t repofs.Tree, files []repofs.File) catalog.Facts {
	return e.fn(ctx, t, files)
}
