package store

import (
	"context"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/governance"
	"github.com/ospo-project/ospo/internal/notify"
)

// ErrStale is returned (wrapped) by an update made from a version that is
// no longer the stored one: someone else changed the thing first. Read it
// again and retry. It is a catalog.ErrConflict.
var ErrStale = catalog.Kind("changed meanwhile by someone else", catalog.ErrConflict)

// GovernanceStore persists requests, the external estate and notification
// preferences. It is part of Store. As in AccountStore, the methods that
// change state take by, the audit entry of the change (At, Actor, Source,
// Action set by the caller), and append it in the same transaction with
// Object, Before and After filled in; a nil by records nothing.
type GovernanceStore interface {
	// CreateRequest stores r as a new request and returns it with ID set
	// and Version 1. A request without kind, subject or requester, or of an
	// unknown kind or state, is a wrapped ErrInvalid.
	CreateRequest(ctx context.Context, r governance.Request, by *catalog.AuditEntry) (governance.Request, error)

	// Request returns the request with id. Returns ErrNotFound.
	Request(ctx context.Context, id int64) (*governance.Request, error)

	// ListRequests returns the requests f selects, newest first. It
	// implements governance.Lister.
	ListRequests(ctx context.Context, f governance.RequestFilter) ([]governance.Request, error)

	// UpdateRequest stores r, read at r.Version, as the request's new
	// state with Version r.Version+1, and returns it. Returns ErrNotFound,
	// or a wrapped ErrStale if the stored version is no longer r.Version
	// (a concurrent change won: nothing is written).
	UpdateRequest(ctx context.Context, r governance.Request, by *catalog.AuditEntry) (governance.Request, error)

	// SaveExternalProject creates p (ID 0; a wrapped ErrExists if the name
	// is taken) or updates it from p.Version (a wrapped ErrStale if it
	// moved, ErrNotFound if it is gone), and returns it as stored. An empty
	// name or an unknown lifecycle is a wrapped ErrInvalid.
	SaveExternalProject(ctx context.Context, p governance.ExternalProject, by *catalog.AuditEntry) (governance.ExternalProject, error)

	// ExternalProjects returns the external estate, ordered by name.
	ExternalProjects(ctx context.Context) ([]governance.ExternalProject, error)

	// ExternalProject returns one estate project by id (decimal) or name
	// (any case). Returns ErrNotFound.
	ExternalProject(ctx context.Context, ref string) (*governance.ExternalProject, error)

	// NotifyPreferences returns a person's preferences by e-mail (any
	// case); the zero value when they set none.
	NotifyPreferences(ctx context.Context, email string) (notify.Preferences, error)

	// SetNotifyPreferences replaces a person's preferences. An empty e-mail
	// is a wrapped ErrInvalid.
	SetNotifyPreferences(ctx context.Context, email string, p notify.Preferences, by *catalog.AuditEntry) error
}
