package store

import (
	"context"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
)

// SourceStore persists what configured sources (GitHub, Backstage …) bring
// and where each one's sync stands. It is part of Store. Sources only add
// facts beside the scanned projects: nothing here changes a project, and a
// source's facts are replaced only by a later successful read of the same
// thing, so a failed sync leaves the last good data in place.
type SourceStore interface {
	// SourceStates returns the sync state of every source that has one,
	// ordered by name.
	SourceStates(ctx context.Context) ([]catalog.SourceState, error)
	// SourceState returns one source's sync state. Returns ErrNotFound if
	// the source has never been synced.
	SourceState(ctx context.Context, name string) (*catalog.SourceState, error)
	// SaveSourceState creates or replaces the sync state of st.Name. An
	// empty Name or Kind is a wrapped ErrInvalid.
	SaveSourceState(ctx context.Context, st catalog.SourceState) error

	// ReplaceForgeRepo stores r (identified by r.Source and r.ID; r.ProjectKey
	// and r.FullName follow a rename) and, for each kind listed in kinds, replaces
	// the repository's items of that kind with those of items; items of
	// other kinds are kept. An item whose Kind is not in kinds is a wrapped
	// ErrInvalid, as are an empty Source or FullName and a zero ID.
	ReplaceForgeRepo(ctx context.Context, r catalog.ForgeRepo, kinds []string, items []catalog.ForgeItem) error
	// ForgeRepos returns the repositories source brought (every source's
	// when source is empty), ordered by full name then source.
	ForgeRepos(ctx context.Context, source string) ([]catalog.ForgeRepo, error)
	// ProjectForgeRepos returns the forge repositories, of any source,
	// whose ProjectKey is projectKey, ordered by source.
	ProjectForgeRepos(ctx context.Context, projectKey string) ([]catalog.ForgeRepo, error)
	// ForgeItems returns the items of kind (every kind when empty) of the
	// repositories whose ProjectKey is projectKey, newest first (by
	// creation), at most limit (0 = all).
	ForgeItems(ctx context.Context, projectKey, kind string, limit int) ([]catalog.ForgeItem, error)
	// QueryForgeItems returns the items q selects across repositories, each
	// with its repository, most recently updated first.
	QueryForgeItems(ctx context.Context, q catalog.ForgeItemQuery) ([]catalog.RepoItem, error)

	// ReplaceEntities replaces every entity source brought with ents in one
	// transaction. An entity without Kind or Name, or whose Source is not
	// source, is a wrapped ErrInvalid; two entities with the same reference
	// are one (the last wins).
	ReplaceEntities(ctx context.Context, source string, ents []catalog.Entity) error
	// Entities returns the entities source brought (every source's when
	// empty), ordered by kind, namespace and name, then source.
	Entities(ctx context.Context, source string) ([]catalog.Entity, error)

	// RequestRefresh records that r's repository should be read again by
	// its source. A repository already waiting is not queued twice: the
	// call then returns false and keeps the first request. An empty Source
	// or FullName, or a zero ID, is a wrapped ErrInvalid.
	RequestRefresh(ctx context.Context, r catalog.Refresh) (queued bool, err error)
	// PendingRefreshes returns the repositories waiting for source, oldest
	// request first.
	PendingRefreshes(ctx context.Context, source string) ([]catalog.Refresh, error)
	// DoneRefreshes removes source's requests made at or before upTo;
	// later ones (made while the sync ran) stay for the next sync.
	DoneRefreshes(ctx context.Context, source string, upTo time.Time) error

	// UpsertTrackerIssues stores issues (identified by Source and Key),
	// replacing those stored before; others of the source are kept. An
	// issue without Source, Key or Project, or whose Source is not source,
	// is a wrapped ErrInvalid.
	UpsertTrackerIssues(ctx context.Context, source string, issues []catalog.TrackerIssue) error
	// ReplaceTrackerLinks replaces the links of source's tracker projects to
	// catalogue projects.
	ReplaceTrackerLinks(ctx context.Context, source string, links []catalog.TrackerLink) error
	// TrackerLinks returns source's links (every source's when empty),
	// ordered by tracker project then catalogue project.
	TrackerLinks(ctx context.Context, source string) ([]catalog.TrackerLink, error)
	// TrackerIssues returns the issues q selects, most recently updated
	// first.
	TrackerIssues(ctx context.Context, q catalog.TrackerQuery) ([]catalog.TrackerIssue, error)

	// UpsertBuilds stores builds (identified by Source, Job and Number),
	// replacing those stored before. A build without Source, Job or a
	// positive Number, or whose Source is not source, is a wrapped
	// ErrInvalid.
	UpsertBuilds(ctx context.Context, source string, builds []catalog.Build) error
	// Builds returns the builds q selects, newest first (by start, then
	// number).
	Builds(ctx context.Context, q catalog.BuildQuery) ([]catalog.Build, error)

	// UpsertArtifacts stores artifact files (identified by Source, Repo and
	// Path), replacing those stored before. One without Source, Repo, Path,
	// Package or PURL, or whose Source is not source, is a wrapped
	// ErrInvalid.
	UpsertArtifacts(ctx context.Context, source string, arts []catalog.Artifact) error
	// Artifacts returns the artifacts q selects, most downloaded first.
	Artifacts(ctx context.Context, q catalog.ArtifactQuery) ([]catalog.Artifact, error)
	// ArtifactPackages sums the artifacts per package, most downloaded
	// first; limit 0 means no cap.
	ArtifactPackages(ctx context.Context, limit int) ([]catalog.ArtifactPackage, error)
	// ReplaceBuildRun stores a build run's package uses, replacing what was
	// stored of that run (Source, Build, Number) before.
	ReplaceBuildRun(ctx context.Context, source string, run catalog.BuildRun) error
	// BuildUses returns the package uses q selects, newest run first.
	BuildUses(ctx context.Context, q catalog.BuildUseQuery) ([]catalog.BuildUse, error)

	// AnnotatedTrackerProjects returns, for each issue-tracker project key
	// a scanned repository's catalog-info.yaml names (jira/project-key),
	// the keys of the projects naming it.
	AnnotatedTrackerProjects(ctx context.Context) (map[string][]string, error)
	// RekeyProject gives the scanned project keyed from the key to (a
	// repository renamed or transferred on its forge), with the facts
	// keyed by project (builds, tracker links, events, entities), so it
	// stays one project with its history. A missing project is a wrapped
	// ErrNotFound, an existing project keyed to a wrapped ErrExists.
	RekeyProject(ctx context.Context, from, to string) error

	// DeleteSource removes a source's sync state, its pending refreshes and
	// every fact it brought.
	// Deleting a source that has neither is not an error.
	DeleteSource(ctx context.Context, name string) error
}
