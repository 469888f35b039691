package catalog

import (
	"strings"
	"time"
)

// Source kinds: the services a configured source reads.
const (
	SourceGitHub    = "github"
	SourceGitLab    = "gitlab"
	SourceBackstage = "backstage"
)

// Source sync statuses.
const (
	// SyncNever is the status of a source that has not been synced yet.
	SyncNever = ""
	// SyncOK is the status of a source whose last sync succeeded.
	SyncOK = "ok"
	// SyncFailed is the status of a source whose last sync failed; the
	// facts of its last good sync are kept.
	SyncFailed = "failed"
)

// SourceState is what ospo remembers of one configured source between
// syncs. It never holds a secret: tokens stay in the environment or the
// file the configuration names.
type SourceState struct {
	// Name is the source's name in ospo.yaml.
	Name string `json:"name"`
	// Kind is one of the Source* kinds.
	Kind string `json:"kind"`
	// Status is SyncNever, SyncOK or SyncFailed.
	Status string `json:"status"`
	// LastAttempt is when the last sync started; LastSuccess when the last
	// successful one started (zero if none).
	LastAttempt time.Time `json:"last_attempt,omitzero"`
	LastSuccess time.Time `json:"last_success,omitzero"`
	// LastError is why the last sync failed; empty after a success.
	LastError string `json:"last_error,omitempty"`
	// Cursor holds what the source needs to fetch only what changed since:
	// ETags by request, pagination cursors, timestamps. Its keys and values
	// are the source's own.
	Cursor map[string]string `json:"cursor,omitempty"`
	// Rate is the API budget the service reported last; zero if none.
	Rate RateLimit `json:"rate,omitzero"`
	// Requests is the number of requests the last sync sent, and
	// NotModified how many of them were answered 304 Not Modified.
	Requests    int `json:"requests"`
	NotModified int `json:"not_modified"`
}

// RateLimit is an API's request budget as its last response reported it.
type RateLimit struct {
	Limit     int       `json:"limit"`
	Remaining int       `json:"remaining"`
	Reset     time.Time `json:"reset,omitzero"`
}

// ForgeRepo is what a forge (GitHub, GitHub Enterprise) says about one
// repository, beside what the scan of its mirror finds.
type ForgeRepo struct {
	// Source is the name of the source that brought it.
	Source string `json:"source"`
	// ID is the forge's own identifier of the repository, stable across
	// renames and transfers.
	ID int64 `json:"id"`
	// ProjectKey is the key the catalogue gives the repository's project:
	// the normalised clone URL (see gitrepo.NormaliseRemote).
	ProjectKey    string   `json:"project_key"`
	FullName      string   `json:"full_name"`
	URL           string   `json:"url,omitempty"`
	CloneURL      string   `json:"clone_url,omitempty"`
	Description   string   `json:"description,omitempty"`
	Topics        []string `json:"topics,omitempty"`
	Visibility    string   `json:"visibility,omitempty"`
	Archived      bool     `json:"archived,omitempty"`
	Fork          bool     `json:"fork,omitempty"`
	Stars         int      `json:"stars"`
	Forks         int      `json:"forks"`
	Watchers      int      `json:"watchers"`
	OpenIssues    int      `json:"open_issues"`
	DefaultBranch string   `json:"default_branch,omitempty"`
	// License is the licence as the forge detected it (an SPDX id, or
	// NOASSERTION when it found a licence it could not name).
	License   string    `json:"license,omitempty"`
	PushedAt  time.Time `json:"pushed_at,omitzero"`
	UpdatedAt time.Time `json:"updated_at,omitzero"`
	// SyncedAt is when the source last saved this repository.
	SyncedAt time.Time `json:"synced_at,omitzero"`
}

// Forge item kinds.
const (
	ItemPullRequest = "pull_request"
	ItemIssue       = "issue"
	ItemRelease     = "release"
)

// ForgeItem is a pull request, an issue or a release of a forge repository.
type ForgeItem struct {
	// Kind is one of the Item* kinds.
	Kind string `json:"kind"`
	// Number is the pull request's or issue's number; a release's forge ID.
	Number int64  `json:"number"`
	Title  string `json:"title"`
	// State is open or closed (merged pull requests: merged); a release's
	// is published, draft or prerelease.
	State string `json:"state"`
	// Author is the forge login of who opened or published it.
	Author string   `json:"author,omitempty"`
	URL    string   `json:"url,omitempty"`
	Labels []string `json:"labels,omitempty"`
	// Tag is a release's tag name.
	Tag       string    `json:"tag,omitempty"`
	CreatedAt time.Time `json:"created_at,omitzero"`
	UpdatedAt time.Time `json:"updated_at,omitzero"`
	ClosedAt  time.Time `json:"closed_at,omitzero"`
	MergedAt  time.Time `json:"merged_at,omitzero"`
	// FirstResponseAt is when someone other than the author first
	// commented or reviewed; zero if nobody has.
	FirstResponseAt time.Time `json:"first_response_at,omitzero"`
	Comments        int       `json:"comments"`
	// Reviews are a pull request's reviews, oldest first.
	Reviews []Review `json:"reviews,omitempty"`
	// RequestedReviewers are the forge logins an open pull request asks a
	// review of and RequestedTeams the teams (GitHub's team slugs) it asks;
	// the forge drops a reviewer from the list once they have reviewed.
	RequestedReviewers []string `json:"requested_reviewers,omitempty"`
	RequestedTeams     []string `json:"requested_teams,omitempty"`
}

// Review is one review of a pull request.
type Review struct {
	Author      string    `json:"author"`
	State       string    `json:"state"`
	SubmittedAt time.Time `json:"submitted_at,omitzero"`
}

// Entity is a Backstage catalogue entity (Component, System, API, Group,
// User …) as a source brought it: the fields ospo reads, and the document
// itself.
type Entity struct {
	// Source is the name of the source that brought it.
	Source      string `json:"source"`
	Kind        string `json:"kind"`
	Namespace   string `json:"namespace"`
	Name        string `json:"name"`
	Title       string `json:"title,omitempty"`
	Description string `json:"description,omitempty"`
	// Type, Lifecycle, Owner and System are the spec fields of those names.
	Type      string `json:"type,omitempty"`
	Lifecycle string `json:"lifecycle,omitempty"`
	Owner     string `json:"owner,omitempty"`
	System    string `json:"system,omitempty"`
	// MemberOf are a User's groups, as entity references.
	MemberOf []string `json:"member_of,omitempty"`
	// Email is a User's or Group's profile e-mail.
	Email string `json:"email,omitempty"`
	// ProjectKey is the catalogue project a Component describes, from its
	// source-location annotation; empty when none is named.
	ProjectKey string `json:"project_key,omitempty"`
	// Document is the entity as JSON.
	Document string `json:"document"`
}

// Ref returns the entity reference kind:namespace/name, lower-cased as
// Backstage compares them.
func (e Entity) Ref() string {
	return EntityRef(e.Kind, e.Namespace, e.Name)
}

// EntityRef returns the Backstage entity reference kind:namespace/name,
// lower-cased as Backstage compares them; an empty namespace is "default".
func EntityRef(kind, namespace, name string) string {
	if namespace == "" {
		namespace = "default"
	}
	return strings.ToLower(kind + ":" + namespace + "/" + name)
}

// Refresh is a repository a webhook asked a source to read again.
type Refresh struct {
	Source string `json:"source"`
	// ID is the forge's id of the repository.
	ID       int64  `json:"id"`
	FullName string `json:"full_name"`
	// Event is the webhook event that asked first (push, pull_request …).
	Event       string    `json:"event"`
	RequestedAt time.Time `json:"requested_at"`
}

// SourceJIRA is the kind of a JIRA (Cloud, Server or Data Center) source.
const SourceJIRA = "jira"

// TrackerIssue is an issue of an issue tracker (JIRA) as its source
// brought it: who it is assigned to, where it stands, and when it moved.
type TrackerIssue struct {
	// Source is the name of the source that brought it.
	Source string `json:"source"`
	// Key is the tracker's key of the issue ("PAY-123"); ID its numeric id.
	Key string `json:"key"`
	ID  string `json:"id,omitempty"`
	// Project is the tracker's project key ("PAY").
	Project string `json:"project"`
	Summary string `json:"summary"`
	Type    string `json:"type,omitempty"`
	// Status is the workflow status ("In Progress"); StatusCategory its
	// category: new, indeterminate or done.
	Status         string `json:"status,omitempty"`
	StatusCategory string `json:"status_category,omitempty"`
	Priority       string `json:"priority,omitempty"`
	// Assignee and Reporter are display names; their e-mails link them to
	// people of the catalogue (JIRA Cloud shows e-mails only when the
	// person allows it).
	Assignee      string    `json:"assignee,omitempty"`
	AssigneeEmail string    `json:"assignee_email,omitempty"`
	Reporter      string    `json:"reporter,omitempty"`
	ReporterEmail string    `json:"reporter_email,omitempty"`
	Labels        []string  `json:"labels,omitempty"`
	URL           string    `json:"url,omitempty"`
	Created       time.Time `json:"created,omitzero"`
	Updated       time.Time `json:"updated,omitzero"`
	Resolved      time.Time `json:"resolved,omitzero"`
}

// Open reports whether the issue is not done.
func (i TrackerIssue) Open() bool { return i.StatusCategory != "done" && i.Resolved.IsZero() }

// TrackerLink says that a tracker project's issues belong to a catalogue
// project (configuration, or the project's jira/project-key annotation).
type TrackerLink struct {
	Source     string `json:"source"`
	Project    string `json:"tracker_project"`
	ProjectKey string `json:"project_key"`
}

// TrackerQuery selects tracker issues. Empty fields select everything.
type TrackerQuery struct {
	Source string
	// ProjectKey selects the issues of the tracker projects linked to this
	// catalogue project.
	ProjectKey string
	// AssigneeEmail selects the issues assigned to this e-mail address
	// (compared case-insensitively).
	AssigneeEmail string
	// OpenOnly leaves out done issues.
	OpenOnly bool
	// Limit caps the answer; 0 means no cap.
	Limit int
}

// SourceJenkins is the kind of a Jenkins source.
const SourceJenkins = "jenkins"

// Build is one run of a CI job (Jenkins) as its source brought it.
type Build struct {
	// Source is the name of the source that brought it.
	Source string `json:"source"`
	// Job is the job's full name (folder/name); Number the build number.
	Job    string `json:"job"`
	Number int64  `json:"number"`
	// Result is SUCCESS, UNSTABLE, FAILURE, ABORTED or NOT_BUILT; empty
	// while Building.
	Result   string        `json:"result,omitempty"`
	Building bool          `json:"building,omitempty"`
	Started  time.Time     `json:"started,omitzero"`
	Duration time.Duration `json:"duration_ns,omitempty"`
	URL      string        `json:"url,omitempty"`
	// Revision is the git commit built, when the job says.
	Revision string `json:"revision,omitempty"`
	// ProjectKey is the catalogue project the job builds: from the git
	// remote the build reports (normalised like a scanned project's), or
	// the source's configuration.
	ProjectKey string `json:"project_key,omitempty"`
}

// BuildQuery selects builds. Empty fields select everything.
type BuildQuery struct {
	Source     string
	ProjectKey string
	// ProjectKeys selects the builds of any of these projects (with
	// ProjectKey, of both: that one if listed).
	ProjectKeys []string
	Job         string
	// Since selects the builds started at or after it.
	Since time.Time
	Limit int
}

// ForgeItemQuery selects forge items across repositories. Empty fields
// select everything.
type ForgeItemQuery struct {
	// Kind is one of the Item* kinds.
	Kind string
	// ProjectKeys selects the items of the repositories of these projects.
	ProjectKeys []string
	// Label selects the items carrying this label (compared
	// case-insensitively).
	Label string
	// OpenOnly selects the items whose State is open.
	OpenOnly bool
	// Authors selects the items opened by one of these forge logins, and
	// Reviewers the pull requests one of them reviewed (both compared
	// case-insensitively).
	Authors, Reviewers []string
	// RequestedReviewers selects the pull requests asking a review of one
	// of these forge logins, or of one of the teams RequestedTeams names
	// (both compared case-insensitively; either list may be empty).
	RequestedReviewers, RequestedTeams []string
	// Limit caps the answer (the most recently updated first); 0 means no cap.
	Limit int
}

// RepoItem is a forge item with the repository it belongs to.
type RepoItem struct {
	ForgeItem
	// ProjectKey is the repository's catalogue project key, Repo its full
	// name on the forge.
	ProjectKey string `json:"project_key"`
	Repo       string `json:"repo"`
}

// SourceArtifactory is the kind of an Artifactory source.
const SourceArtifactory = "artifactory"

// Artifact is one package file an artifact repository (Artifactory) holds:
// downloaded through one of its remote (proxy) repositories, or published
// to one of its local ones, with how often it was downloaded.
type Artifact struct {
	// Source is the name of the source that brought it.
	Source string `json:"source"`
	// Repo is the repository's key; Path the file's path in it.
	Repo string `json:"repo"`
	Path string `json:"path"`
	// Remote reports a file cached from a remote repository (a package the
	// firm downloads); false means published to a local one.
	Remote bool `json:"remote,omitempty"`
	// Ecosystem (OSV name), Package (as the ecosystem spells it) and
	// Version name the package the file is a version of; PURL is the
	// package's versionless package URL, as technologies are named.
	Ecosystem string    `json:"ecosystem"`
	Package   string    `json:"package"`
	Version   string    `json:"version,omitempty"`
	PURL      string    `json:"purl"`
	Size      int64     `json:"size,omitempty"`
	Created   time.Time `json:"created,omitzero"`
	// Downloads counts the file's downloads; LastDownloaded and
	// LastDownloadedBy say when and by which Artifactory user last.
	Downloads        int64     `json:"downloads"`
	LastDownloaded   time.Time `json:"last_downloaded,omitzero"`
	LastDownloadedBy string    `json:"last_downloaded_by,omitempty"`
}

// ArtifactQuery selects artifacts. Empty fields select everything.
type ArtifactQuery struct {
	Source string
	// PURL selects the versions of one package (a versionless package URL).
	PURL  string
	Limit int
}

// ArtifactPackage sums one package's artifacts across repositories and
// versions.
type ArtifactPackage struct {
	Ecosystem string `json:"ecosystem"`
	Package   string `json:"package"`
	PURL      string `json:"purl"`
	Versions  int    `json:"versions"`
	Downloads int64  `json:"downloads"`
	// Remote reports a package downloaded through a remote repository;
	// Published one published to a local repository.
	Remote         bool      `json:"remote,omitempty"`
	Published      bool      `json:"published,omitempty"`
	LastDownloaded time.Time `json:"last_downloaded,omitzero"`
}

// BuildRun is one run of a build Artifactory recorded (its build-info):
// the packages it depended on and those it published, and the git revision
// it built.
type BuildRun struct {
	Source string `json:"source"`
	// Build is the build's name, Number the run's number (a string: CI
	// servers number runs as they please).
	Build   string    `json:"build"`
	Number  string    `json:"number"`
	Started time.Time `json:"started,omitzero"`
	// ProjectKey is the catalogue project whose git remote the run built;
	// Revision the commit.
	ProjectKey string       `json:"project_key,omitempty"`
	Revision   string       `json:"revision,omitempty"`
	Uses       []PackageUse `json:"uses,omitempty"`
}

// PackageUse is a package a build run depended on or published.
type PackageUse struct {
	Ecosystem string `json:"ecosystem"`
	Package   string `json:"package"`
	Version   string `json:"version,omitempty"`
	// PURL is the package's versionless package URL.
	PURL      string `json:"purl"`
	Published bool   `json:"published,omitempty"`
}

// BuildUse is a PackageUse with the run it belongs to.
type BuildUse struct {
	Source     string    `json:"source"`
	Build      string    `json:"build"`
	Number     string    `json:"number"`
	Started    time.Time `json:"started,omitzero"`
	ProjectKey string    `json:"project_key,omitempty"`
	Revision   string    `json:"revision,omitempty"`
	PackageUse
}

// BuildUseQuery selects build uses. Empty fields select everything.
type BuildUseQuery struct {
	Source     string
	PURL       string
	ProjectKey string
	Limit      int
}
