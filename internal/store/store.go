// Package store defines how the catalogue is persisted. Implementations live
// in sqlite/ and postgres/ and share their SQL in sqldb/; storetest/ is the
// conformance suite every implementation passes.
package store

import (
	"context"
	"errors"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
)

// ErrNotFound is returned when a project or person does not exist. It is a
// catalog.ErrNotFound.
var ErrNotFound = catalog.Kind("not found", catalog.ErrNotFound)

// ErrInvalid is returned (wrapped, with the reason) when a query's input is
// malformed: a package URL that does not parse, an unknown kind. It is a
// catalog.ErrInvalid.
var ErrInvalid = catalog.Kind("invalid query", catalog.ErrInvalid)

// ErrAmbiguous is returned when a name matches more than one project or
// person. It is a catalog.ErrAmbiguous.
var ErrAmbiguous = catalog.Kind("ambiguous", catalog.ErrAmbiguous)

// ErrNoCatalogue is returned (wrapped) by the read-only openers when the
// store they are asked to open does not exist; they never create one.
var ErrNoCatalogue = errors.New("the catalogue does not exist")

// State is what the scanner needs to decide whether a project must be rescanned.
type State struct {
	ID             int64
	HeadCommit     string
	ScannerVersion string
	ConfigHash     string
	Path           string
	// RemoteURL is the origin URL as stored; a scan that reads another one
	// (the remote was changed, or is now stored with less in it) rescans.
	RemoteURL string
	// Key is the project's key, Revision its catalog.Project.Revision and
	// ScannedAt when its facts were last confirmed: with the ID, what a
	// reader that keeps projects compares to find those replaced, renamed,
	// touched or deleted since it read them.
	Key       string
	Revision  int64
	ScannedAt time.Time
}

// ProjectFilter narrows ListProjects. The zero value lists every project.
type ProjectFilter struct {
	// Query matches name, key, path or description, case-insensitively.
	Query    string
	Language string
	Owner    string
	// IDs keeps the projects with these IDs only (unknown ones are
	// skipped); nil keeps all.
	IDs []int64
	// Limit caps the number of results; zero means no cap.
	Limit  int
	Offset int
}

// PersonFilter narrows ListPeople. The zero value lists every human.
type PersonFilter struct {
	Query       string
	IncludeBots bool
	// NoTotals leaves each person's totals (Commits, LinesAdded,
	// LinesRemoved, FirstCommit, LastCommit) zero, which spares summing
	// every contribution; people are then ordered by name and ID. A
	// caller holding every project's contributors sums them itself.
	NoTotals bool
	Limit    int
	Offset   int
}

// UsageFilter narrows WhoUses.
type UsageFilter struct {
	// Package is a package URL without version
	// ("pkg:maven/org.apache.logging.log4j/log4j-core", "pkg:npm/lodash") or
	// a bare package name ("lodash", "log4j-core", "org.apache.logging.log4j:log4j-core"),
	// matched the way the ecosystem compares names (case-folded and
	// normalised for PyPI, group:artifact for Maven…).
	Package string
	// Ecosystem restricts a bare name to one ecosystem (OSV naming: "npm",
	// "Maven", "PyPI", "Go"…); case-insensitive.
	Ecosystem string
	Limit     int
	// NoNames (PackageProjects only) leaves each ProjectUse's Project and
	// ProjectKey empty and orders the projects by ID, Limit capping them
	// in that order: the uses are read from their index alone, not joined
	// with the projects, for a caller that has the projects' names (the
	// hub's estate snapshot).
	NoNames bool
}

// TechnologyFilter narrows Technologies.
type TechnologyFilter struct {
	// Kind is "package", "language" or empty for both.
	Kind      string
	Ecosystem string
	// Query matches package or language names, case-insensitively.
	Query  string
	Limit  int
	Offset int
}

// PackageKey is a package as the store compares packages: its lowercased
// ecosystem and its name as the ecosystem compares names (see
// catalog.PackageRef.Key; for a dependency known by its package URL only,
// what the URL gives).
type PackageKey struct{ Ecosystem, Name string }

// Store is the catalogue's persistence. Every method is one transaction: a
// process killed at any point leaves the store as it was before the call or
// as it is after it. Implementations are safe for concurrent use.
type Store interface {
	AccountStore
	AdvisoryStore
	AuditStore
	EventStore
	InboxStore
	LicenseStore
	PushStore
	ScoreStore
	SourceStore
	GovernanceStore
	OptOutStore
	HelpStore
	DigestStore

	// ReplaceProject stores p as the whole truth about the project with p.Key,
	// replacing every fact of a previous scan (languages, owners, files,
	// dependencies, contributions, problems) and recording a history entry,
	// one per HEAD commit (replacing with the same HeadCommit updates that
	// entry, so two scans at once never record one HEAD twice). It returns
	// the project's ID, which is stable across replacements.
	ReplaceProject(ctx context.Context, p *catalog.Project) (int64, error)

	// ReplaceProjects stores a batch of scanned projects in one transaction:
	// each Project as ReplaceProject stores it and, when Score is set, that
	// scorecard as AddScore records it, for the project just stored (its
	// ProjectID is ignored). Either the whole batch is stored or, on error,
	// none of it. It returns the projects' IDs in the order of rs. A key
	// given twice is replaced twice, the later replacement winning.
	ReplaceProjects(ctx context.Context, rs []catalog.Scanned) ([]int64, error)

	// ProjectStates returns the incremental-scan state of every project, by Key.
	ProjectStates(ctx context.Context) (map[string]State, error)

	// ProjectStamps returns the ID, Key, Revision and ScannedAt of every
	// project (the other fields of State empty), by ID: what a reader that
	// keeps projects compares to find those replaced, renamed, touched or
	// deleted since it read them, without the rest of ProjectStates.
	ProjectStamps(ctx context.Context) ([]State, error)

	// ProjectState returns the incremental-scan state of the project with
	// key. Returns ErrNotFound if there is no such project.
	ProjectState(ctx context.Context, key string) (State, error)

	// TouchProject records that the project with key was seen unchanged at
	// time t (its facts are kept). Returns ErrNotFound if there is no such project.
	TouchProject(ctx context.Context, key string, t time.Time) error

	// TouchProjects records that the projects with keys were seen unchanged
	// at time t, in one transaction (a few statements however many keys), and
	// returns how many it touched: keys of no project are skipped, not errors
	// (a project deleted since its state was read).
	TouchProjects(ctx context.Context, keys []string, t time.Time) (int, error)

	// Project returns one project with all its facts. ref is an ID (decimal),
	// a Key, a Path or a Name. Returns ErrNotFound if nothing matches and
	// ErrAmbiguous (wrapped, listing the candidates) if a name matches several.
	Project(ctx context.Context, ref string) (*catalog.Project, error)

	// ListProjects returns projects without their contributors' weekly
	// activity, without their dependencies and without their README
	// (Readme is nil: README text is only read by Project, so that callers
	// holding the whole estate in memory, like the hub, do not hold every
	// README too), ordered by name then key.
	ListProjects(ctx context.Context, f ProjectFilter) ([]catalog.Project, error)

	// SearchDocs returns the doc pages (catalog.Project.Docs, as the last
	// scan of each project stored them) whose title or text contains query,
	// case-insensitively (no wildcards), title matches first, then by project
	// and page name; at most limit of them (0: all), and how many matched in
	// all. An empty query finds nothing.
	SearchDocs(ctx context.Context, query string, limit int) ([]catalog.DocHit, int, error)

	// DeleteProject removes a project and its facts. Returns ErrNotFound if
	// there is no project with that key.
	DeleteProject(ctx context.Context, key string) error

	// Identities returns every distinct contributor identity in the
	// catalogue with its commit count across all projects.
	Identities(ctx context.Context) ([]catalog.IdentityCount, error)

	// ReplacePeople replaces the whole set of people (identity merging is
	// computed by the caller from Identities). Identities not covered by any
	// person are left unassigned.
	ReplacePeople(ctx context.Context, people []catalog.Person) error

	// Person returns one person with totals, projects and weekly activity. ref is a person ID,
	// an email of any of their identities, or a name. Returns ErrNotFound or
	// a wrapped ErrAmbiguous.
	Person(ctx context.Context, ref string) (*catalog.Person, error)

	// ListPeople returns people with their totals (without Projects), the
	// most commits first.
	ListPeople(ctx context.Context, f PersonFilter) ([]catalog.Person, error)

	// WhoUses returns every use of a package across the estate, one entry
	// per dependency (a manifest listing two versions of the package gives
	// two), ordered by project name then manifest. An empty Package, or a
	// package URL that does not parse or has a version, is an error.
	// Version filtering is left to the caller (it follows each ecosystem's
	// rules, see internal/query).
	WhoUses(ctx context.Context, f UsageFilter) ([]catalog.Usage, error)

	// DirectDependencies returns the direct dependencies of the given
	// projects by project ID, each project's in the order Project reads
	// them; projects without any (or unknown) are absent.
	DirectDependencies(ctx context.Context, projectIDs []int64) (map[int64][]catalog.Dependency, error)

	// ProjectAuthors returns the authors of the given projects' code (see
	// catalog.Expertise.Authors), by project ID, most files first, at most
	// perProject each (0: all), each with the person its e-mail belongs to;
	// projects without expertise (or unknown) are absent.
	ProjectAuthors(ctx context.Context, projectIDs []int64, perProject int) (map[int64][]catalog.Author, error)

	// PackageProjects returns the projects WhoUses(f) finds, one entry per
	// project with its versions of the package, ordered by project name then
	// key (by ID with f.NoNames); f.Limit caps the number of projects. It
	// reads only what that needs, a fraction of WhoUses's cost for a
	// package used by thousands of projects.
	PackageProjects(ctx context.Context, f UsageFilter) ([]catalog.ProjectUse, error)

	// Technologies returns packages and languages with the number of
	// projects using each, most used first.
	Technologies(ctx context.Context, f TechnologyFilter) ([]catalog.Technology, error)

	// PackageCounts returns the number of projects using each package in
	// use (Technology.Projects), by key: a cheap read that tells a reader
	// keeping the package list which packages gained or lost projects.
	PackageCounts(ctx context.Context) (map[PackageKey]int, error)

	// PackagesUsed returns the packages the given projects depend on, each
	// once, by key.
	PackagesUsed(ctx context.Context, projectIDs []int64) ([]PackageKey, error)

	// PackageTechnologies returns the packages of keys (nil: every package
	// in use) as Technologies gives them, by key; packages nobody uses are
	// absent.
	PackageTechnologies(ctx context.Context, keys []PackageKey) (map[PackageKey]catalog.Technology, error)

	// Experts returns the people who contributed to any of the given
	// projects, with Commits and the line totals counted over those
	// projects only, most commits first, bots excluded; at most limit
	// (0 = all). Projects lists, for each person, the given projects they
	// worked on.
	Experts(ctx context.Context, projectIDs []int64, limit int) ([]catalog.Person, error)

	// Activity returns the contributions of the given projects (of every
	// project when projectIDs is nil) with their weekly activity and the
	// person each identity belongs to, by project ID, each project's in
	// the order Project reads them; projects without contributions are
	// absent. Community health is computed from it (package health).
	Activity(ctx context.Context, projectIDs []int64) (map[int64][]catalog.Contribution, error)

	// StartScan records the start of a scan run and returns its ID.
	StartScan(ctx context.Context, run catalog.ScanRun) (int64, error)
	// FinishScan records the outcome of a scan run.
	FinishScan(ctx context.Context, run catalog.ScanRun) error
	// LastScan returns the most recent scan run. Returns ErrNotFound if none.
	LastScan(ctx context.Context) (*catalog.ScanRun, error)

	// Generation returns a number that changes whenever the catalogue
	// does: every write advances it (it may also advance when a write
	// fails), except the writes of AccountStore and AuditStore (accounts,
	// sessions, tokens, memberships, the audit log), which no cached
	// catalogue read depends on. Readers that cache what they read, such as
	// the hub's estate snapshot, compare it to skip re-reading an unchanged
	// store.
	Generation(ctx context.Context) (int64, error)

	// Close releases the store's resources.
	Close() error
}
