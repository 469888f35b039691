package repometa

import (
	"context"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/repofs"
)

// Extractor is the metadata extraction (see Extract) as an extractor (see
// package extract). It needs every file: hygiene facts count code and test
// files.
type Extractor struct{}

// Name implements extract.Extractor.
func (Extractor) Name() string { return "repometa" }

// FileRequired implements extract.Extractor: every file.
func (Extractor) FileRequired(repofs.File) bool { return true }

// Extract implements extract.Extractor, as Extract over files.
func (Extractor) Extract(ctx context.Context, t repofs.Tree, files []repofs.File) catalog.Facts {
	return extract(ctx, t, files)
}
