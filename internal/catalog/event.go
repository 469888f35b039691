package catalog

import "time"

// Event is one verified thing a person (or a team, through a project) did
// that the gamification counts: derived from git facts, brought by a forge
// source, or claimed with evidence and approved by the OSPO. Events are
// facts, never typed in as points: points, badges and levels are computed
// from the set of events (package events), so replaying a history never
// awards anything twice as long as each real action has one ID.
type Event struct {
	// ID identifies the real action: a hash of the kind and what the
	// action is about (the commit, the project and person), so deriving
	// the same history again gives the same IDs.
	ID   string `json:"id"`
	Kind string `json:"kind"`
	// Source is how the event was verified: EventGit, EventForge or
	// EventManual.
	Source string `json:"source"`
	// ProjectKey is the project the event happened in; empty for a manual
	// event not about a project.
	ProjectKey string `json:"project_key,omitempty"`
	// Project is the project's name, filled in by the store when reading.
	Project string `json:"project,omitempty"`
	// Email is the identity credited, lower-cased; PersonID is the person
	// it belongs to, filled in by the store when reading (empty when the
	// identity is not merged into a person yet).
	Email    string `json:"email"`
	PersonID string `json:"person_id,omitempty"`
	// At is when the action happened (the author date of the commit).
	At time.Time `json:"at"`
	// Points are the event kind's base points; caps may award fewer (see
	// events.Tally).
	Points int `json:"points"`
	// Summary says in one line what happened.
	Summary string `json:"summary"`
	// Evidence is what proves it: commits, files, URLs.
	Evidence []Evidence `json:"evidence"`
}

// Evidence is one piece of proof of an event.
type Evidence struct {
	// Kind is "commit", "file", "url", "advisory" or "claim".
	Kind  string `json:"kind"`
	Value string `json:"value"`
}

// Event sources.
const (
	EventGit    = "git"
	EventForge  = "forge"
	EventManual = "manual"
)

// CommitFact is one commit as the event derivation reads it.
type CommitFact struct {
	Hash    string   `json:"hash"`
	Parents []string `json:"parents,omitempty"`
	// Name and Email are the author's, after .mailmap; Email lower-cased.
	Name  string    `json:"name"`
	Email string    `json:"email"`
	At    time.Time `json:"at"`
	// Files are the paths the commit changed against its first parent
	// (nothing for a merge), with line counts ignoring whitespace; a file
	// whose change is whitespace only is not listed.
	Files []CommitFile `json:"files,omitempty"`
}

// CommitFile is one file a commit changed.
type CommitFile struct {
	Path string `json:"path"`
	// Added and Removed count lines, ignoring changes of whitespace only;
	// both are -1 for a binary file.
	Added   int64 `json:"added"`
	Removed int64 `json:"removed"`
	// Created reports that the commit added the file.
	Created bool `json:"created,omitempty"`
	// MaybeWhitespace is set on a file read with its whitespace counted
	// (gitlog.Log): as many lines added as removed, so the change may be
	// whitespace only, and ignoring whitespace the file would then not be
	// listed. Added and Removed then count whitespace changes too.
	MaybeWhitespace bool `json:"-"`
}

// EventClaim is a manual event (a talk, a hackathon, mentoring, a blog
// post) or a badge claimed with evidence, waiting for the OSPO's decision.
// Four eyes: the account that claims never decides.
type EventClaim struct {
	ID int64 `json:"id"`
	// Kind is a manual event kind, or "badge" with Badge set.
	Kind  string `json:"kind"`
	Badge string `json:"badge,omitempty"`
	// Email is the person credited (any of their e-mails), lower-cased.
	Email    string `json:"email"`
	Evidence string `json:"evidence"`
	Note     string `json:"note,omitempty"`
	// ClaimedBy is the e-mail of the account that made the claim.
	ClaimedBy string    `json:"claimed_by"`
	ClaimedAt time.Time `json:"claimed_at"`
	// Status is ClaimPending, ClaimApproved or ClaimRejected.
	Status    string    `json:"status"`
	DecidedBy string    `json:"decided_by,omitempty"`
	DecidedAt time.Time `json:"decided_at,omitzero"`
	// EventID is the event an approval created.
	EventID string `json:"event_id,omitempty"`
}

// Claim statuses.
const (
	ClaimPending  = "pending"
	ClaimApproved = "approved"
	ClaimRejected = "rejected"
)
