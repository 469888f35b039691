package store

import (
	"context"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
)

// InboxStore persists what people decided about their inbox items (snoozed,
// done) and when each was last sent a digest. It is part of Store. Inbox items
// themselves are not stored: they are derived from the catalogue when asked
// for (internal/inbox). E-mails are compared lower-cased. Writes do not
// advance the Generation (no cached catalogue read depends on them) and,
// like AccountStore's, take by: the audit entry of the change, appended in
// the same transaction when not nil.
type InboxStore interface {
	// SetInboxState stores s, replacing any state of the same e-mail and
	// item, and returns s as stored. Returns a wrapped ErrInvalid for an
	// empty e-mail or item, a state other than catalog.InboxSnoozed or
	// catalog.InboxDone, or a snooze without Until.
	SetInboxState(ctx context.Context, s catalog.InboxState, by *catalog.AuditEntry) (catalog.InboxState, error)

	// DeleteInboxState removes the state of one item (the item is open
	// again). Removing one that does not exist is not an error and appends
	// no entry.
	DeleteInboxState(ctx context.Context, email, item string, by *catalog.AuditEntry) error

	// InboxStates returns every state one person set, ordered by item.
	InboxStates(ctx context.Context, email string) ([]catalog.InboxState, error)

	// LastDigest returns when email was last sent an inbox digest (zero:
	// never).
	LastDigest(ctx context.Context, email string) (time.Time, error)

	// MarkDigestSent records that email was sent a digest at at.
	MarkDigestSent(ctx context.Context, email string, at time.Time) error
}
