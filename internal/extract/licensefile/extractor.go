package licensefile

import (
	"context"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/repofs"
)

// Extractor is the project's own licence detection (see Detect) as an
// extractor (see package extract). It needs every file: licence files,
// package metadata and the SPDX headers of source files all count.
type Extractor struct{}

// Name implements extract.Extractor.
func (Extractor) Name() string { return "licensefile" }

// FileRequired implements extract.Extractor: every file.
func (Extractor) FileRequired(repofs.File) bool { return true }

// Extract implements extract.Extractor: the License of files, as Detect.
func (Extractor) Extract(ctx context.Context, t repofs.Tree, files []repofs.File) catalog.Facts {
	lic, probs := detect(ctx, t, files)
	return catalog.Facts{License: lic, Problems: probs}
}
