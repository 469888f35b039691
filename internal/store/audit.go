package store

import (
	"context"
	"iter"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
)

// AuditFilter narrows ListAudit. The zero value lists every entry.
type AuditFilter struct {
	Since  time.Time // entries at or after Since
	Until  time.Time // entries before Until, when not zero
	Actor  string    // exact actor
	Action string    // exact action, or a prefix ending in "." ("token.")
	Object string    // exact object
	// AfterSeq and BeforeSeq, when not zero, list entries with a greater
	// (smaller) Seq only, for paging.
	AfterSeq, BeforeSeq int64
	// Limit caps the number of entries; zero means no cap.
	Limit int
	// Newest lists the newest entries first.
	Newest bool
}

// AuditStore is the append-only audit log. It is part of Store. Nothing
// updates or deletes entries; the only write is AppendAudit.
type AuditStore interface {
	// AppendAudit appends e: it assigns Seq (the last entry's plus one),
	// chains it to the last entry with internal/audit's Seal and returns the
	// entry as stored. Appends are serialised, so concurrent callers, in one
	// process or many, chain one after the other. Returns a wrapped
	// ErrInvalid if Action or Actor is empty or At is zero.
	AppendAudit(ctx context.Context, e catalog.AuditEntry) (catalog.AuditEntry, error)

	// ListAudit returns entries in order of Seq (newest first if f.Newest).
	ListAudit(ctx context.Context, f AuditFilter) ([]catalog.AuditEntry, error)

	// AuditEntries streams every entry in order of Seq, for verification and
	// export, without holding them all in memory. The sequence stops at the
	// first error, which it yields.
	AuditEntries(ctx context.Context) iter.Seq2[*catalog.AuditEntry, error]
}
