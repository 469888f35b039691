// Package sourcesync runs configured sources (GitHub organisations, Backstage
// instances …) one after the other and records where each stands.
//
// A source reads its service and adds facts through a Sink; it never edits
// a scanned project. Each source's run is independent: one that fails (the
// service is down, slow, rate-limited, answers garbage) is marked failed
// with the reason and keeps the facts of its last good sync, and the others
// go on. Secrets are never part of what is recorded: every error is
// redacted of the job's secrets before it is stored or returned.
package sourcesync

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
)

// Sink is where a source writes the facts it brings; store.Store is one.
// Each method is one transaction, so a source interrupted half-way leaves
// what it saved complete and the rest as it was.
type Sink interface {
	ReplaceForgeRepo(ctx context.Context, r catalog.ForgeRepo, kinds []string, items []catalog.ForgeItem) error
	ForgeRepos(ctx context.Context, source string) ([]catalog.ForgeRepo, error)
	ForgeItems(ctx context.Context, projectKey, kind string, limit int) ([]catalog.ForgeItem, error)
	ReplaceEntities(ctx context.Context, source string, ents []catalog.Entity) error
	// PendingRefreshes and DoneRefreshes serve the repositories webhooks
	// asked to read again (see store.SourceStore).
	PendingRefreshes(ctx context.Context, source string) ([]catalog.Refresh, error)
	DoneRefreshes(ctx context.Context, source string, upTo time.Time) error
	// UpsertTrackerIssues and ReplaceTrackerLinks serve issue trackers
	// (JIRA): see store.SourceStore.
	UpsertTrackerIssues(ctx context.Context, source string, issues []catalog.TrackerIssue) error
	ReplaceTrackerLinks(ctx context.Context, source string, links []catalog.TrackerLink) error
	// UpsertBuilds serves CI servers (Jenkins): see store.SourceStore.
	UpsertBuilds(ctx context.Context, source string, builds []catalog.Build) error
	// UpsertArtifacts and ReplaceBuildRun serve artifact repositories
	// (Artifactory): see store.SourceStore.
	UpsertArtifacts(ctx context.Context, source string, arts []catalog.Artifact) error
	ReplaceBuildRun(ctx context.Context, source string, run catalog.BuildRun) error
}

// Store is a Sink that also keeps the sources' sync states.
type Store interface {
	Sink
	SourceState(ctx context.Context, name string) (*catalog.SourceState, error)
	SaveSourceState(ctx context.Context, st catalog.SourceState) error
}

// Source is one configured service.
type Source interface {
	// Sync reads what changed since prev (whose Cursor the source wrote
	// last time; empty on the first sync) and saves it through sink. It
	// returns the outcome, whose Cursor replaces prev's, or an error, in
	// which case the facts saved before the error stay and prev's Cursor
	// is kept for the next attempt.
	Sync(ctx context.Context, prev catalog.SourceState, sink Sink) (Outcome, error)
}

// Outcome is what one successful sync did.
type Outcome struct {
	// Cursor is what the next sync needs to fetch only what changed.
	Cursor map[string]string
	// Rate is the API budget the service reported last.
	Rate catalog.RateLimit
	// Requests counts the requests sent; NotModified those answered 304.
	Requests    int
	NotModified int
	// Repos are the repositories the source lists, to be mirrored and
	// scanned; Changed marks those whose content moved since the last sync.
	Repos []Repo
	// Summary says in a few words what changed, for people.
	Summary string
}

// Repo is a git repository a source lists.
type Repo struct {
	// FullName is owner/name.
	FullName string
	// CloneURL is the https URL to clone it from.
	CloneURL string
	// Changed reports that its content moved since the last sync (or that
	// it is new).
	Changed bool
	// Previous and PreviousCloneURL are the repository's full name and
	// clone URL before it was renamed or transferred (the forge's id is
	// the same); empty when it was not. Its mirror moves and its scanned
	// project is re-keyed, so that it stays one project.
	Previous, PreviousCloneURL string
	// ProjectKey and PreviousProjectKey are the catalogue keys of the clone
	// URL and of the previous one, when it moved.
	ProjectKey, PreviousProjectKey string
}

// Job is one source to sync.
type Job struct {
	// Name and Kind identify the source (its configuration's name and kind).
	Name, Kind string
	// Source syncs it; nil means the source could not be set up, and Err
	// says why (the job is recorded as failed).
	Source Source
	Err    error
	// Secrets are strings that must never be recorded: the source's token.
	Secrets []string
}

// Result is how one job went.
type Result struct {
	Name    string
	State   catalog.SourceState
	Outcome Outcome
	// Err is why the sync failed (redacted); nil on success.
	Err error
}

// Run syncs each job in turn and saves its state, and returns one Result per
// job. A failed job is recorded as failed with its reason and does not stop
// the others; Run returns an error only when ctx is cancelled (after saving
// the interrupted job's state) or a state cannot be saved.
func Run(ctx context.Context, st Store, jobs []Job, now func() time.Time) ([]Result, error) {
	if now == nil {
		now = time.Now
	}
	var results []Result
	for _, j := range jobs {
		prev, err := st.SourceState(ctx, j.Name)
		if err != nil {
			if ctx.Err() != nil {
				return results, ctx.Err()
			}
			prev = &catalog.SourceState{Name: j.Name, Kind: j.Kind}
		}
		state := *prev
		state.Name, state.Kind = j.Name, j.Kind
		state.LastAttempt = now().UTC()
		res := Result{Name: j.Name}
		var out Outcome
		err = j.Err
		if err == nil && j.Source == nil {
			err = errors.New("source not set up")
		}
		if err == nil {
			out, err = syncOne(ctx, j.Source, *prev, st)
		}
		if err != nil {
			err = Redact(err, j.Secrets)
			state.Status, state.LastError = catalog.SyncFailed, err.Error()
			res.Err = err
		} else {
			state.Status, state.LastError = catalog.SyncOK, ""
			state.LastSuccess = state.LastAttempt
			state.Cursor = out.Cursor
			state.Rate = out.Rate
			state.Requests, state.NotModified = out.Requests, out.NotModified
			res.Outcome = out
		}
		if serr := st.SaveSourceState(context.WithoutCancel(ctx), state); serr != nil {
			return results, fmt.Errorf("source %s: %w", j.Name, Redact(serr, j.Secrets))
		}
		res.State = state
		results = append(results, res)
		if ctx.Err() != nil {
			return results, ctx.Err()
		}
	}
	return results, nil
}

// syncOne runs one source, turning a panic into an error so that one
// source's bug cannot stop the others.
func syncOne(ctx context.Context, s Source, prev catalog.SourceState, sink Sink) (out Outcome, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error: %v", r)
		}
	}()
	return s.Sync(ctx, prev, sink)
}

// redacted replaces a secret wherever it appears.
const redacted = "[redacted]"

// Redact returns err with every secret replaced by "[redacted]" in its text;
// err itself when there is nothing to hide. The result keeps err in its
// chain only when its text had no secret, so that errors.Is still works in
// the common case and a secret cannot leak through Unwrap.
func Redact(err error, secrets []string) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	clean := RedactString(msg, secrets)
	if clean == msg {
		return err
	}
	return errors.New(clean)
}

// RedactString returns s with every non-empty secret replaced.
func RedactString(s string, secrets []string) string {
	for _, sec := range secrets {
		if len(sec) >= 4 { // shorter strings would redact ordinary words
			s = strings.ReplaceAll(s, sec, redacted)
		}
	}
	return s
}

// Due reports whether a source last attempted at last (zero: never) with
// the given interval should sync at now.
func Due(last time.Time, interval time.Duration, now time.Time) bool {
	return last.IsZero() || !now.Before(last.Add(interval))
}

// Sleep waits d or until ctx is done, whichever comes first: the wait
// sources make for a rate limit, replaceable in their tests.
func Sleep(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// BaseURL parses the base URL of a service from its configuration: http
// or https, with a host and no credentials (those come from the token
// settings); the path loses its trailing slashes, so API paths can be
// appended.
func BaseURL(kind, raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("%s: url %q is not an http(s) URL", kind, raw)
	}
	if u.User != nil {
		return nil, fmt.Errorf("%s: url must not carry credentials (use the token settings)", kind)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	return u, nil
}

// Client returns c, or, when it is nil, a client whose requests time out
// after two minutes: a service that hangs fails its source's sync, not
// the whole run.
func Client(c *http.Client) *http.Client {
	if c != nil {
		return c
	}
	return &http.Client{Timeout: 2 * time.Minute}
}

// NewRepository is a repository to create on a forge.
type NewRepository struct {
	// Name is the repository's name (one path element, as `ospo new`
	// checks it).
	Name        string
	Description string
	// Private asks for a private repository; false asks the forge's
	// default for the organisation or group.
	Private bool
}

// Creator is a source that can create a repository on its forge, in the
// organisation or group it reads. CreateRepository returns the new
// repository as the forge describes it (its ForgeRepo, whose CloneURL
// takes the first push). Errors say what the forge refused: a name taken
// is catalog.ErrConflict, a token refused catalog.ErrUnauthenticated, a
// token without the right catalog.ErrForbidden; others (the network, the
// forge down) are of no kind. Nothing is created when it fails.
type Creator interface {
	CreateRepository(ctx context.Context, r NewRepository) (catalog.ForgeRepo, error)
}
