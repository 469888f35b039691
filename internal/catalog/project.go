// Package catalog is the domain vocabulary of ospo: projects, the people who
// work on them, the languages and files a scan saw, and the problems it met.
//
// It imports nothing else of ours and does no I/O: scanners build these
// values, stores persist them, and analyses, the CLI and the hub read them.
package catalog

import "time"

// ScannerVersion identifies the fact-gathering logic. A project scanned by an
// older version is rescanned even when its HEAD has not moved. Bump it whenever
// a change to the scanner would change the facts it records.
const ScannerVersion = "9"

// Project is one repository (or, later, one component of a repository) as the
// catalogue knows it. A scan produces a complete Project value; the store
// replaces the previous value of the same Key atomically.
type Project struct {
	// ID is assigned by the store; it is zero in a freshly scanned value.
	ID int64 `json:"id,omitempty"`
	// Key identifies the project across scans and across checkouts: the
	// normalised origin URL when there is one, else "path:" + the real path.
	Key string `json:"key"`
	// Name is the short name people type: the last element of the origin URL
	// or of the path. It is not guaranteed unique across an estate.
	Name string `json:"name"`
	// Path is the absolute path of the checkout (work tree or bare directory).
	Path string `json:"path"`
	// Bare reports whether the repository has no work tree.
	Bare bool `json:"bare,omitempty"`
	// RemoteURL is the origin remote as configured, with any credentials removed.
	RemoteURL string `json:"remote_url,omitempty"`
	// DefaultBranch is the branch HEAD points at (or origin/HEAD's target).
	DefaultBranch string `json:"default_branch,omitempty"`
	// HeadCommit is the full hash of HEAD; empty for a repository with no commits.
	HeadCommit string `json:"head_commit,omitempty"`
	// HeadDate is the committer date of HEAD.
	HeadDate time.Time `json:"head_date,omitzero"`

	Description       string   `json:"description,omitempty"`
	DescriptionSource string   `json:"description_source,omitempty"`
	Topics            []string `json:"topics,omitempty"`
	// Lifecycle, System and Owner are the catalog-info.yaml spec fields, copied
	// here for convenience; the full evidence is in Owners.
	Lifecycle string `json:"lifecycle,omitempty"`
	System    string `json:"system,omitempty"`
	// Kind is internal, innersource or opensource.
	Kind string `json:"kind,omitempty"`
	// TrackerProjects are the issue-tracker (JIRA) project keys the
	// catalog-info.yaml names in its jira/project-key annotation: a JIRA
	// source reads their issues for this project.
	TrackerProjects []string `json:"tracker_projects,omitempty"`

	Languages    []Language     `json:"languages,omitempty"`
	Owners       []Owner        `json:"owners,omitempty"`
	Files        []FileFact     `json:"files,omitempty"`
	Dependencies []Dependency   `json:"dependencies,omitempty"`
	Contributors []Contribution `json:"contributors,omitempty"`
	// Commits is the number of commits reachable from HEAD.
	Commits  int       `json:"commits"`
	Problems []Problem `json:"problems,omitempty"`

	// License is the project's own licence; nil when not looked for.
	License *ProjectLicense `json:"license,omitempty"`
	// DependencyLicenses are the licences resolved for Dependencies.
	DependencyLicenses []DependencyLicense `json:"dependency_licenses,omitempty"`
	// LicenseFindings are the licence policy's conclusions at scan time.
	LicenseFindings []LicenseFinding `json:"license_findings,omitempty"`

	// PackageNames are the names the project's root manifests would
	// publish it as (package.json, Cargo.toml, pyproject.toml, pom.xml,
	// go.mod). They are found by the analysis and not kept in the store.
	PackageNames []PackageName `json:"package_names,omitempty"`

	// Readme is the head of the root README; nil when there is none or it
	// could not be read. Stores return it from single-project reads only,
	// not from project listings.
	Readme *Readme `json:"readme,omitempty"`
	// Expertise is who knows the project's code, computed from its history
	// at scan time; nil when the history could not be read. Only a
	// single-project read returns it, as with Readme.
	Expertise *Expertise `json:"expertise,omitempty"`
	// Docs are the pages of the project's docs/ folder as the scan found
	// them, for the hub's search (store.SearchDocs). Stores keep them but
	// return them from no read of a project.
	Docs []DocPage `json:"docs,omitempty"`

	ScannerVersion string    `json:"scanner_version"`
	ConfigHash     string    `json:"config_hash,omitempty"`
	ScannedAt      time.Time `json:"scanned_at,omitzero"`
	// Revision changes (grows) whenever the store replaces the project's
	// facts, and only then (a touch keeps it): readers that keep what they
	// derived from a project re-read it when it moved. Set by the store.
	Revision int64 `json:"-"`
	// ScanDuration is how long the scan of this project took.
	ScanDuration time.Duration `json:"scan_duration_ns,omitempty"`
}

// Project kinds.
const (
	KindInternal    = "internal"
	KindInnerSource = "innersource"
	KindOpenSource  = "opensource"
)

// DocPage is one Markdown page of a project's docs/ folder, for searching.
type DocPage struct {
	// Name addresses the page under the project's docs
	// (/projects/{id}/docs/{name}): its path under docs/ without ".md".
	Name  string `json:"name"`
	Title string `json:"title"`
	// Text is the page's title and source, lower-cased, at most
	// MaxDocText bytes.
	Text string `json:"text,omitempty"`
}

// MaxDocPages and MaxDocText bound what a scan keeps of a project's docs:
// pages beyond the first MaxDocPages (in path order) and text beyond
// MaxDocText bytes a page are not searchable.
const (
	MaxDocPages = 100
	MaxDocText  = 2 << 10
)

// DocHit is a project's doc page a search found.
type DocHit struct {
	ProjectID int64  `json:"project_id"`
	Project   string `json:"project"`
	Name      string `json:"name"`
	Title     string `json:"title"`
}

// Readme is the head of a project's root README, as committed. Only the
// root of the repository is looked at (README.md, README.rst, README …);
// docs/README.md and the like are not.
type Readme struct {
	// Path is the README's path in the repository, e.g. "README.md".
	Path string `json:"path"`
	// Format is the markup, from the file name: one of the Readme* formats.
	Format string `json:"format"`
	// Text is the source text as valid UTF-8 with LF line ends, without a
	// byte order mark, NUL bytes or Markdown front matter, cut to at most
	// 16 KiB at a line boundary (at a rune boundary when the head holds no
	// line break).
	Text string `json:"text"`
	// Truncated reports that Text is only the head of a longer README.
	Truncated bool `json:"truncated,omitempty"`
}

// Readme formats.
const (
	ReadmeMarkdown = "markdown"
	ReadmeRST      = "rst"
	ReadmeAsciiDoc = "asciidoc"
	ReadmeText     = "text"
)

// Language is the share of one language in a project, counted in bytes of
// files that are neither vendored, generated nor documentation.
type Language struct {
	Name  string `json:"name"`
	Bytes int64  `json:"bytes"`
	Files int    `json:"files"`
}

// Owner is one ownership claim with where it was found.
type Owner struct {
	// Owner is the claimed owner as written: "@org/team", "group:payments",
	// "jane@example.com".
	Owner string `json:"owner"`
	// Source is the kind of evidence: codeowners, catalog-info, innersource.
	Source string `json:"source"`
	// Path is the file the claim came from.
	Path string `json:"path"`
	// Pattern is the CODEOWNERS path pattern the claim applies to; empty for
	// whole-project claims.
	Pattern string `json:"pattern,omitempty"`
}

// Owner sources.
const (
	OwnerCodeowners  = "codeowners"
	OwnerCatalogInfo = "catalog-info"
	OwnerInnerSource = "innersource"
)

// FileFact records that a file of a known hygiene kind exists.
type FileFact struct {
	Kind string `json:"kind"`
	Path string `json:"path"`
}

// File kinds recorded as hygiene facts. Scorecards read these.
const (
	FileReadme         = "readme"
	FileLicense        = "license"
	FileContributing   = "contributing"
	FileCodeOfConduct  = "code_of_conduct"
	FileSecurity       = "security"
	FileChangelog      = "changelog"
	FileCodeowners     = "codeowners"
	FileSupport        = "support"
	FileIssueTemplate  = "issue_template"
	FilePRTemplate     = "pr_template"
	FileCatalogInfo    = "catalog_info"
	FileInnerSource    = "innersource"
	FileMailmap        = "mailmap"
	FileDocs           = "docs"
	FileCIGitHub       = "ci_github_actions"
	FileCIGitLab       = "ci_gitlab"
	FileCIJenkins      = "ci_jenkins"
	FileCIAzure        = "ci_azure_pipelines"
	FileCICircle       = "ci_circleci"
	FileCITravis       = "ci_travis"
	FileDependabot     = "dependabot"
	FileRenovate       = "renovate"
	FileTestDir        = "test_dir"
	FileTestFiles      = "test_files" // Path holds the count of test files
	FileCodeFiles      = "code_files" // Path holds the count of code files
	FileSecurityInsght = "security_insights"
	// FileSecretLike is a committed file whose name suggests a secret: a
	// private key, a keystore, a .env file, cloud credentials.
	FileSecretLike = "secret_like"
	// FileBinaryArtifact is a committed compiled binary (.exe, .jar, .pyc …).
	FileBinaryArtifact = "binary_artifact"
	// FileReadmeSection is a section of the README a reader looks for; Path
	// is "install" or "usage".
	FileReadmeSection = "readme_section"
	// FileHealthProbe is a deployment manifest (under deploy/, k8s/, helm/,
	// charts/ …) declaring a liveness, readiness or startup probe.
	FileHealthProbe = "health_probe"
	// FileReadmeSize is the README's size; Path holds its length in bytes.
	FileReadmeSize = "readme_size"
	// FilePinnedDependency and FileUnpinnedDependency are a dependency
	// fetched by a GitHub workflow run step, a Dockerfile or a shell script
	// (a package-manager install, a base image, a download run at once),
	// pinned by hash or not, by OpenSSF Scorecard's Pinned-Dependencies
	// rules. Path is the PinnedDependency encoded: see PinnedDependency.Fact.
	FilePinnedDependency   = "pinned_dependency"
	FileUnpinnedDependency = "unpinned_dependency"
	// FilePinningSources is the number of workflows, Dockerfiles and shell
	// scripts read for those rules; Path holds the count. Recorded only
	// when not zero.
	FilePinningSources = "pinning_sources"
)

// Problem is something a scan could not do on a project. Problems never stop
// a scan: they are recorded and shown with the project.
type Problem struct {
	// Kind is a short stable code: unreadable, no-commits, history, too-large,
	// symlink-escape, parse, timeout, duplicate, internal.
	Kind    string `json:"kind"`
	Path    string `json:"path,omitempty"`
	Message string `json:"message"`
}

// Problem kinds.
const (
	ProblemUnreadable = "unreadable"
	ProblemNoCommits  = "no-commits"
	ProblemHistory    = "history"
	ProblemTooLarge   = "too-large"
	ProblemSymlink    = "symlink"
	ProblemParse      = "parse"
	ProblemTimeout    = "timeout"
	ProblemDuplicate  = "duplicate"
	ProblemInternal   = "internal"
)

// HasFile reports whether the project has a file fact of the given kind.
func (p *Project) HasFile(kind string) bool {
	for _, f := range p.Files {
		if f.Kind == kind {
			return true
		}
	}
	return false
}

// PackageName is a name a manifest gives the package it describes.
type PackageName struct {
	// Ecosystem is the OSV ecosystem name: npm, PyPI, crates.io, Maven, Go.
	Ecosystem string `json:"ecosystem"`
	// Name is the package's name as the registry spells it (Maven:
	// "group:artifact"; Go: the module path).
	Name string `json:"name"`
	// Manifest is the repository-relative path of the manifest.
	Manifest string `json:"manifest"`
}
