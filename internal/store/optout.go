package store

import (
	"context"

	"github.com/ospo-project/ospo/internal/catalog"
)

// OptOutStore keeps what people asked to be left out of: appearing as
// experts, and recommendations (see catalog.OptOut). It is part of Store.
// Its writes are audited as AccountStore's are (by, when not nil, is
// appended to the audit log in the same transaction) and, like them, do
// not advance Generation: readers look opt-outs up fresh.
type OptOutStore interface {
	// SetOptOut stores o as the choice of the person o.PersonID, replacing
	// any earlier one; a choice opting out of nothing removes it.
	// UpdatedAt is set by the caller (zero: now). Returns a wrapped ErrInvalid for an
	// empty PersonID.
	SetOptOut(ctx context.Context, o catalog.OptOut, by *catalog.AuditEntry) error

	// OptOuts returns the choices of everybody who opted out of
	// something, ordered by person ID.
	OptOuts(ctx context.Context) ([]catalog.OptOut, error)
}
