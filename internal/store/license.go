package store

import (
	"cmp"
	"context"
	"slices"
	"strings"

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

	// LicenseCounts returns what LicenseSummary counts, project by project,
	// for the given projects (nil: every project), by project ID; projects
	// with nothing to count (or unknown) are absent. SumLicenses adds them
	// up: a reader that keeps them re-reads only the projects that changed.
	LicenseCounts(ctx context.Context, projectIDs []int64) (map[int64]LicenseCounts, error)
}

// LicenseCounts is one project's share of the licence summary.
type LicenseCounts struct {
	// Project is the expression of the project's own licence, "" without one.
	Project string
	// Dependencies count the project's dependency uses by licence
	// expression, Categories by category, in name order.
	Dependencies, Categories []NameCount
	// Violations and Warnings count its unsuppressed licence findings.
	Violations, Warnings int
}

// NameCount is a number of things with a name.
type NameCount struct {
	Name string
	N    int
}

// ProjectName is a project's name and key, for SumLicenses.
type ProjectName struct{ Name, Key string }

// SumLicenses returns the licence summary of the projects counted in
// counts (LicenseSummary's, when counts holds every project), ordered as
// LicenseSummary orders it; names gives the name and key of the projects
// in violation.
func SumLicenses(counts map[int64]LicenseCounts, names func(id int64) ProjectName) *catalog.LicenseSummary {
	own, deps, cats := map[string]*catalog.LicenseCount{}, map[string]*catalog.LicenseCount{}, map[string]*catalog.LicenseCount{}
	add := func(m map[string]*catalog.LicenseCount, name string, deps int) {
		c := m[name]
		if c == nil {
			c = &catalog.LicenseCount{Name: name}
			m[name] = c
		}
		c.Projects++
		c.Dependencies += deps
	}
	sum := &catalog.LicenseSummary{InViolation: []catalog.ProjectViolations{}}
	for id, c := range counts {
		if c.Project != "" {
			add(own, c.Project, 0)
		}
		for _, d := range c.Dependencies {
			add(deps, d.Name, d.N)
		}
		for _, d := range c.Categories {
			add(cats, d.Name, d.N)
		}
		if c.Violations > 0 {
			n := names(id)
			sum.InViolation = append(sum.InViolation, catalog.ProjectViolations{ProjectID: id, Project: n.Name, ProjectKey: n.Key,
				Violations: c.Violations, Warnings: c.Warnings})
		}
	}
	list := func(m map[string]*catalog.LicenseCount) []catalog.LicenseCount {
		out := make([]catalog.LicenseCount, 0, len(m))
		for _, c := range m {
			out = append(out, *c)
		}
		slices.SortFunc(out, func(a, b catalog.LicenseCount) int {
			return cmp.Or(b.Projects-a.Projects, b.Dependencies-a.Dependencies, strings.Compare(a.Name, b.Name))
		})
		return out
	}
	sum.ProjectLicenses, sum.DependencyLicenses, sum.Categories = list(own), list(deps), list(cats)
	slices.SortFunc(sum.InViolation, func(a, b catalog.ProjectViolations) int {
		return cmp.Or(b.Violations-a.Violations, strings.Compare(a.Project, b.Project), strings.Compare(a.ProjectKey, b.ProjectKey))
	})
	return sum
}
