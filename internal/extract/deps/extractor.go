package deps

import (
	"context"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/repofs"
)

// Extractor is the dependency inventory (see ExtractWith) as an extractor
// (see package extract). The zero value uses the default Options.
type Extractor struct {
	Options Options
}

// Name implements extract.Extractor.
func (Extractor) Name() string { return "deps" }

// FileRequired implements extract.Extractor: the manifests and lockfiles
// some format of list.go reads (wherever they are; skipped directories
// and size caps are applied by Extract, which records them as problems).
func (Extractor) FileRequired(f repofs.File) bool {
	if f.Symlink || f.Submodule {
		return false
	}
	for _, ex := range extractors() {
		if ex.required(f.Path) {
			return true
		}
	}
	return false
}

// Extract implements extract.Extractor: the Dependencies of the manifests
// among files, as ExtractWith.
func (x Extractor) Extract(ctx context.Context, t repofs.Tree, files []repofs.File) catalog.Facts {
	found, probs := extractFiles(ctx, t, files, x.Options)
	return catalog.Facts{Dependencies: found, Problems: probs}
}
