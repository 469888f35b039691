package store

import (
	"context"

	"github.com/ospo-project/ospo/internal/catalog"
)

// LicenseStore persists licence facts and policy findings per project, for
// the estate view. It is part of Store. A project's licence, its
// dependencies' licences and its licence findings are written by
// ReplaceProject (catalog.Project.License, DependencyLicenses,
// LicenseFindings) with its other facts, and read back by Project.
type LicenseStore interface {
	// LicenseSummary returns the estate's licences: projects counted by
	// their own licence expression, dependency uses counted by licence
	// expression and by category (each with the number of projects), and
	// the projects with unsuppressed violations, most violations first.
	// Counts are ordered by count, most first, then by name.
	LicenseSummary(ctx context.Context) (*catalog.LicenseSummary, error)

	// LicenseFindings returns the licence findings of each of the given
	// projects (as Project reads them, suppressed ones included), by
	// project ID, in one read whatever the number of projects; projects
	// without findings (or unknown) are absent.
	LicenseFindings(ctx context.Context, projectIDs []int64) (map[int64][]catalog.LicenseFinding, error)
}
