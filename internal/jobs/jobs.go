// Package jobs runs ospo's background work (scanning repositories, syncing
// sources, deriving what follows from a scan) as jobs of a queue kept in the
// catalogue's PostgreSQL database, so that any number of `ospo worker`
// processes on any number of machines share it. The queue is River
// (github.com/riverqueue/river, MPL-2.0, used unmodified): it provides
// transactional job rows, unique jobs, retries with backoff, one elected
// leader for periodic jobs, and the rescue of jobs whose worker died.
//
// A job kind is three things, each written once here: an argument type (its
// Kind and InsertOpts say how it is queued: how often it is tried, what makes
// two jobs the same), a River worker that calls a Handlers method, and that
// method, which the composition root (internal/cli) implements with the
// analysis pipeline and the store. Adding a kind (events, notifications,
// checklists) means adding an argument type, a Handlers method and a line in
// Queue.Work's registry.
//
// Every handler must be idempotent: River runs a job at least once. A worker
// killed mid-job leaves its row "running"; after WorkerOptions.RescueAfter
// another worker's maintenance moves it back to "retryable" and it runs again.
// The store's one-transaction-per-project writes and its per-HEAD state
// (ProjectState) make a rerun of a scan either skip the repository or replace
// the same project again: nothing is written twice.
package jobs

import (
	"time"

	"github.com/ospo-project/ospo/internal/catalog"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// Job kinds, as stored in river_job.kind.
const (
	KindScanRepo     = "scan_repo"
	KindRescan       = "rescan"
	KindSyncSource   = "sync_source"
	KindDerive       = "derive"
	KindExpirePushes = "expire_pushes"
	KindRematch      = "rematch_advisories"
	KindGovern       = "govern"
	KindEvaluate     = "evaluate_request"
	KindDigest       = "health_digest"
)

// active are the job states in which a unique job blocks another with the
// same arguments: a repository is never queued or scanned twice at once, but
// once its scan has finished (completed, discarded or cancelled) it can be
// queued again.
var active = []rivertype.JobState{
	rivertype.JobStateAvailable,
	rivertype.JobStatePending,
	rivertype.JobStateRunning,
	rivertype.JobStateRetryable,
	rivertype.JobStateScheduled,
}

// ScanRepo scans one repository into the catalogue. Key (the repository's
// catalogue key) makes the job unique: at most one scan of a repository is
// queued or running at any time.
type ScanRepo struct {
	// Key is the repository's catalogue key (analyze.Identify).
	Key string `json:"key" river:"unique"`
	// Path is where the repository is on disk, as the workers see it.
	Path string `json:"path"`
	// Force rescans it even when its HEAD has not moved.
	Force bool `json:"force,omitempty"`
}

// Kind implements river.JobArgs.
func (ScanRepo) Kind() string { return KindScanRepo }

// InsertOpts implements river.JobArgsWithInsertOpts: three attempts (a
// repository that crashes its extractors is parked after the third), unique
// by Key while active.
func (ScanRepo) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 3, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: active}}
}

// Rescan discovers the repositories under Roots and queues a ScanRepo for
// each; the periodic rescan of ospo.yaml's scan.roots is one.
type Rescan struct {
	Roots []string `json:"roots" river:"unique"`
	Force bool     `json:"force,omitempty"`
	Deep  bool     `json:"deep,omitempty"`
}

// Kind implements river.JobArgs.
func (Rescan) Kind() string { return KindRescan }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (Rescan) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 5, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: active}}
}

// SyncSource syncs one configured source (ospo.yaml's sources) and queues a
// Rescan of the mirrors that moved.
type SyncSource struct {
	Name string `json:"name" river:"unique"`
}

// Kind implements river.JobArgs.
func (SyncSource) Kind() string { return KindSyncSource }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (SyncSource) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 5, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: active}}
}

// Derive recomputes what is derived from the whole catalogue after scans
// (today: people merged from every identity). Scans that finish close
// together share one Derive: it is unique while queued, and a scan that
// finishes while one runs queues one follow-up (After is the running job's
// id), so the last scan's facts are always derived.
type Derive struct {
	After int64 `json:"after,omitempty" river:"unique"`
}

// Kind implements river.JobArgs.
func (Derive) Kind() string { return KindDerive }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (Derive) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 10, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: active}}
}

// ExpirePushes discards the pushes the push proxy has held for review for
// longer than its configured time (pushproxy.Proxy.ExpireHeld); the
// workers' periodic "expire-pushes" job is one. At most one is queued at a
// time.
type ExpirePushes struct{}

// Kind implements river.JobArgs.
func (ExpirePushes) Kind() string { return KindExpirePushes }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (ExpirePushes) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 5, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: active}}
}

// Rematch re-matches the stored inventories of the projects that use one of
// Packages against the advisories, after an import added, changed or
// withdrew advisories of those packages; no repository is read.
// With All, every project is re-matched (the first import, after which every
// project's vulnerability probe has advisories to go by).
type Rematch struct {
	Packages []catalog.PackageRef `json:"packages"`
	All      bool                 `json:"all,omitempty"`
}

// Kind implements river.JobArgs.
func (Rematch) Kind() string { return KindRematch }

// InsertOpts implements river.JobArgsWithInsertOpts: five attempts; two
// imports queue two jobs (each is idempotent).
func (Rematch) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 5} }

// Govern runs the governance workflow's periodic work (evidence
// revalidation of requests whose project's HEAD moved, review-date and
// estate reminders); the leader queues it on a schedule. One runs at a
// time: it is unique while queued or running.
type Govern struct{}

// Kind implements river.JobArgs.
func (Govern) Kind() string { return KindGovern }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (Govern) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 3, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: active}}
}

// EvaluateRequest answers the automatic checklist items of one governance
// request filed without them (the hub files at once and queues this). ID
// makes it unique: one evaluation of a request is queued or running at a
// time, so the periodic Govern job can queue again what looks stuck
// without doubling the work. A rerun after the first recorded its result
// changes nothing.
type EvaluateRequest struct {
	ID int64 `json:"id" river:"unique"`
}

// Kind implements river.JobArgs.
func (EvaluateRequest) Kind() string { return KindEvaluate }

// InsertOpts implements river.JobArgsWithInsertOpts: five attempts, unique
// by ID while active.
func (EvaluateRequest) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 5, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: active}}
}

// Digest sends the weekly team health digests that are due
// (healthdigest.Sender: each team's digest goes to each recipient at most
// once a week, recorded in the store, so running it hourly sends one a
// week); the leader queues it on a schedule. One runs at a time: it is
// unique while queued or running.
type Digest struct{}

// Kind implements river.JobArgs.
func (Digest) Kind() string { return KindDigest }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (Digest) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 3, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: active}}
}

// Periodic is work the leader queues on a schedule.
type Periodic struct {
	// ID names it (unique among the periodic jobs), e.g. "rescan".
	ID string
	// Every is the interval between two runs.
	Every time.Duration
	// Args is the job queued (a Rescan, a SyncSource …).
	Args river.JobArgs
}
