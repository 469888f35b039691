package store

import (
	"context"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
)

// HelpFilter narrows HelpPosts. The zero value lists every post.
type HelpFilter struct {
	// ProjectKey lists one project's posts.
	ProjectKey string
	// OpenAt, when not zero, lists only the posts open at that time (not
	// closed, end day not over; see catalog.HelpPost.Open).
	OpenAt time.Time
}

// HelpStore keeps the "looking for help" posts maintainers write for
// their projects (catalog.HelpPost). It is part of Store. Its writes are
// audited as AccountStore's are (by, when not nil, is appended to the
// audit log in the same transaction) and do not advance Generation.
type HelpStore interface {
	// SaveHelpPost creates p when p.ID is 0 (CreatedAt now when zero) or
	// replaces the post p.ID (keeping its author and creation time), and
	// returns it as stored. UpdatedAt is set (now when zero). Returns a
	// wrapped ErrInvalid when p does not validate (catalog.HelpPost.Validate)
	// or names no project of the catalogue, and ErrNotFound for an ID
	// that is not stored.
	SaveHelpPost(ctx context.Context, p catalog.HelpPost, by *catalog.AuditEntry) (catalog.HelpPost, error)
	// HelpPost returns the post with id, Project filled in. Returns
	// ErrNotFound.
	HelpPost(ctx context.Context, id int64) (*catalog.HelpPost, error)
	// HelpPosts returns the posts f selects, soonest end first (then by
	// ID), Project filled in.
	HelpPosts(ctx context.Context, f HelpFilter) ([]catalog.HelpPost, error)
}
