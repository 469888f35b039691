package catalog

// Licence facts and findings. Facts (what files and lockfiles say) are kept
// apart from findings (what a licence policy concludes about them).

// LicenseUnknown is the expression recorded when no licence could be
// determined. It is never guessed: unknown is a finding of its own.
const LicenseUnknown = "unknown"

// Licence evidence sources.
const (
	LicenseSourceFile     = "file"     // a LICENSE/COPYING/… file, matched by text
	LicenseSourceMetadata = "metadata" // package metadata (package.json, Cargo.toml, pom.xml…)
	LicenseSourceHeader   = "header"   // an SPDX-License-Identifier: line in a source file
	LicenseSourceLockfile = "lockfile" // what a lockfile records for a dependency
	LicenseSourceCache    = "cache"    // a local package cache (Go module cache, node_modules…)
	LicenseSourceRegistry = "registry" // a package registry, asked with --online
)

// LicenseEvidence is one reason to believe a licence applies.
type LicenseEvidence struct {
	// File is the repository-relative path the evidence comes from.
	File string `json:"file"`
	// License is the SPDX identifier or expression matched.
	License string `json:"license"`
	// Coverage is the percentage (0–100) of the file's text the matched
	// licences account for; 0 when the source is not a licence text.
	Coverage float64 `json:"coverage,omitempty"`
	// Confidence is how far the evidence can be trusted, 0–1.
	Confidence float64 `json:"confidence"`
	// Source is one of the LicenseSource constants.
	Source string `json:"source"`
}

// ProjectLicense is the licence a project declares for itself.
type ProjectLicense struct {
	// Expression is an SPDX licence expression ("MIT OR Apache-2.0"), or
	// LicenseUnknown.
	Expression string `json:"expression"`
	// Confidence is the confidence of the evidence the expression rests on, 0–1.
	Confidence float64 `json:"confidence"`
	// Evidence lists what the expression was concluded from, best first.
	Evidence []LicenseEvidence `json:"evidence,omitempty"`
	// Headers is how many of the project's own source files carry a
	// licence notice in their head. It is found by the analysis and not
	// kept in the store (nil when read back, and when no tree was read).
	Headers *HeaderCoverage `json:"headers,omitempty"`
}

// HeaderCoverage counts the source files with a licence notice in their
// head: an SPDX-License-Identifier: line or a licence's standard notice
// ("Licensed under…", "Permission is hereby granted…", "Use of this source
// code is governed by…"). Vendored, test-data, generated and empty files
// are not counted.
type HeaderCoverage struct {
	// Files is how many source files were read.
	Files int `json:"files"`
	// WithNotice is how many of them have a notice.
	WithNotice int `json:"with_notice"`
	// Missing lists the paths of files without one, sorted, at most
	// MaxMissing of them (Files-WithNotice is the count).
	Missing []string `json:"missing,omitempty"`
	// Truncated reports that the project has more source files than were
	// read.
	Truncated bool `json:"truncated,omitempty"`
}

// MaxMissing caps HeaderCoverage.Missing.
const MaxMissing = 200

// DependencyLicense is the licence resolved for one dependency of a project.
type DependencyLicense struct {
	// PURL and Manifest identify the dependency in Project.Dependencies.
	PURL     string `json:"purl"`
	Manifest string `json:"manifest"`
	// Expression is an SPDX expression, or LicenseUnknown.
	Expression string `json:"expression"`
	// Source is where it was found: lockfile, cache or registry (empty when unknown).
	Source string `json:"source,omitempty"`
	// Category is the policy category of the expression (permissive,
	// weak-copyleft…), as evaluated when the project was scanned.
	Category string `json:"category,omitempty"`
}

// LicenseFinding is what a licence policy concluded about the project's own
// licence or one of its dependencies.
type LicenseFinding struct {
	// Severity is violation, warning or info.
	Severity string `json:"severity"`
	// Rule identifies the rule that fired, e.g. "license/strong-copyleft"
	// (the SARIF rule id).
	Rule string `json:"rule"`
	// PURL is the dependency concerned; empty for the project's own licence.
	PURL     string `json:"purl,omitempty"`
	Manifest string `json:"manifest,omitempty"`
	Scope    string `json:"scope,omitempty"`
	// License is the expression evaluated and Category its category.
	License  string `json:"license"`
	Category string `json:"category"`
	// Message says what is wrong; Remediation what to do about it.
	Message     string `json:"message"`
	Remediation string `json:"remediation,omitempty"`
	// SuppressedBy is set when an exception in the policy waives the finding:
	// it names the exception (its reason and approver). A suppressed finding
	// never fails a check.
	SuppressedBy string `json:"suppressed_by,omitempty"`
}

// Finding severities.
const (
	SeverityViolation = "violation"
	SeverityWarning   = "warning"
	SeverityInfo      = "info"
)

// LicenseCount is how often one licence or category occurs in the estate.
type LicenseCount struct {
	// Name is an SPDX expression or a category.
	Name string `json:"name"`
	// Projects is the number of projects with it (as own licence or dependency).
	Projects int `json:"projects"`
	// Dependencies is the number of dependency uses with it.
	Dependencies int `json:"dependencies"`
}

// LicenseSummary is the estate view of licences.
type LicenseSummary struct {
	// ProjectLicenses counts projects by their own licence expression.
	ProjectLicenses []LicenseCount `json:"project_licenses"`
	// DependencyLicenses counts dependency uses by licence expression.
	DependencyLicenses []LicenseCount `json:"dependency_licenses"`
	// Categories counts dependency uses by category.
	Categories []LicenseCount `json:"categories"`
	// InViolation lists the projects with at least one unsuppressed
	// violation, with their counts.
	InViolation []ProjectViolations `json:"in_violation"`
}

// ProjectViolations is one project in violation of the licence policy.
type ProjectViolations struct {
	ProjectID  int64  `json:"project_id"`
	Project    string `json:"project"`
	ProjectKey string `json:"project_key"`
	Violations int    `json:"violations"`
	Warnings   int    `json:"warnings"`
}
