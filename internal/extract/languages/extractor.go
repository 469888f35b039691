package languages

import (
	"context"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/repofs"
)

// Extractor is language detection as an extractor (see package extract).
// It needs every file of the tree: byte counts cover them all.
type Extractor struct{}

// Name implements extract.Extractor.
func (Extractor) Name() string { return "languages" }

// FileRequired implements extract.Extractor: every file.
func (Extractor) FileRequired(repofs.File) bool { return true }

// Extract implements extract.Extractor: the Languages of files, as Detect.
func (Extractor) Extract(ctx context.Context, t repofs.Tree, files []repofs.File) catalog.Facts {
	langs, probs := detect(ctx, t, files)
	return catalog.Facts{Languages: langs, Problems: probs}
}
