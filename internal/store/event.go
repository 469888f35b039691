package store

import (
	"context"

	"github.com/ospo-project/ospo/internal/catalog"
)

// ErrFourEyes is returned (wrapped) when the account that made a claim
// tries to decide it. It is a catalog.ErrForbidden.
var ErrFourEyes = catalog.Kind("four eyes: a claim is decided by someone other than its claimant", catalog.ErrForbidden)

// ErrDecided is returned (wrapped) when deciding a claim that is no longer
// pending. It is a catalog.ErrConflict.
var ErrDecided = catalog.Kind("already decided", catalog.ErrConflict)

// EventFilter narrows Events. The zero value lists every event.
type EventFilter struct {
	// PersonID lists the events of every e-mail of the person; Email
	// lists those of one e-mail (lower-cased). Both set: either matches.
	PersonID string
	Email    string
	// ProjectKey lists one project's events.
	ProjectKey string
	Kind       string
	// Limit keeps the newest Limit events; 0 means all.
	Limit int
}

// TallyRead is what TallyEvents reads.
type TallyRead struct {
	// Events are the events recorded after the mark asked for, with only
	// ID, Source, ProjectKey, Email, At and Points set (no kind, summary,
	// evidence, project name or person), in no particular order.
	Events []catalog.Event
	// Mark is the mark to pass to the next TallyEvents; the one asked for
	// when no event was recorded since.
	Mark int64
	// PersonOf maps the e-mail of every identity merged into a person
	// (lower-cased, as events carry it) to the person's ID: the least one
	// when several people have that e-mail, as Events' PersonID is.
	PersonOf map[string]string
	// People are every human (ListPeople's people, not bots) with only ID,
	// Name, Email and their identities' e-mails set.
	People []catalog.Person
}

// ClaimDecision is the OSPO's decision on a claim.
type ClaimDecision struct {
	Approve bool
	// By is the e-mail of the deciding account; it must not be the
	// claimant's.
	By string
	// Event builds the event an approval records from the claim as
	// decided (package events provides it).
	Event func(catalog.EventClaim) catalog.Event
}

// EventStore persists verified events, the derivation cursor of each
// project, manual claims and consent to individual leaderboards. It is
// part of Store. Methods that change state take by, the audit entry, as
// AccountStore's do (nil records none).
type EventStore interface {
	// EventCursor returns the commit up to which the events of the project
	// with key were derived, "" when they never were.
	EventCursor(ctx context.Context, projectKey string) (string, error)
	// AddEvents records evs, each under its ID (an ID already recorded is
	// left as it is), and sets the project's cursor to cursor (when not
	// empty), in one transaction. It returns how many events were new. An
	// event without ID, Kind or Source is a wrapped ErrInvalid.
	AddEvents(ctx context.Context, projectKey, cursor string, evs []catalog.Event) (int, error)
	// Events returns the events f selects, oldest first (then by ID), with
	// Project and PersonID filled in.
	Events(ctx context.Context, f EventFilter) ([]catalog.Event, error)
	// TallyEvents returns, from one snapshot of the store, what the
	// leaderboard's tally reads (see events.Ledger): the events recorded
	// after mark (every event when mark is 0) in a lean form, the mark to
	// ask for next time, and the people the events' e-mails belong to.
	// An event recorded after a read is never left out of the next read
	// from the mark that read returned, whatever the order in which
	// concurrent writers commit.
	TallyEvents(ctx context.Context, mark int64) (TallyRead, error)

	// AddClaim records a pending claim and returns it with ID, ClaimedAt
	// (when zero, now) and Status set. An empty Kind, Email, Evidence or
	// ClaimedBy is a wrapped ErrInvalid.
	AddClaim(ctx context.Context, c catalog.EventClaim, by *catalog.AuditEntry) (catalog.EventClaim, error)
	// DecideClaim approves or rejects the pending claim id; an approval
	// records d.Event's event in the same transaction. Returns ErrNotFound,
	// a wrapped ErrFourEyes when d.By made the claim, and a wrapped
	// ErrDecided when the claim is not pending.
	DecideClaim(ctx context.Context, id int64, d ClaimDecision, by *catalog.AuditEntry) (catalog.EventClaim, error)
	// Claims returns the claims with status (every claim when empty),
	// newest first.
	Claims(ctx context.Context, status string) ([]catalog.EventClaim, error)

	// SetLeaderboardOptIn records that the person with the e-mail consents
	// (in) or no longer consents to appear on individual leaderboards.
	SetLeaderboardOptIn(ctx context.Context, email string, in bool, by *catalog.AuditEntry) error
	// LeaderboardOptIns returns the e-mails that consented, sorted.
	LeaderboardOptIns(ctx context.Context) ([]string, error)
}
