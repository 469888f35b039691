package store

import (
	"context"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
)

// PushFilter narrows ListPushes. The zero value lists every push.
type PushFilter struct {
	// Status, when set, lists pushes in that status only.
	Status catalog.PushStatus
	// Upstream, when set, lists pushes to that upstream only.
	Upstream string
	// Limit caps the number of pushes; zero means no cap.
	Limit int
}

// PushDecision is a reviewer's approval or rejection of a held push.
type PushDecision struct {
	// Approve is true to approve, false to reject.
	Approve      bool
	By           string // the reviewer's e-mail
	At           time.Time
	Reason       string
	Attestations []string
}

// PushStore persists the pushes of the git push proxy and, while a push is
// held or approved and not yet forwarded, its pack. It is part of Store.
// Changes take by, an audit entry completed and appended in the same
// transaction as the change (see AccountStore).
type PushStore interface {
	// CreatePush stores p (ID and CreatedAt are set on the returned copy)
	// and, when p is held or approved, pack, the objects a forward needs.
	// Returns a wrapped ErrInvalid for an unknown status, an empty upstream
	// or pusher, or a held push without a pack.
	CreatePush(ctx context.Context, p catalog.Push, pack []byte, by *catalog.AuditEntry) (catalog.Push, error)

	// Push returns the push with id. Returns ErrNotFound.
	Push(ctx context.Context, id int64) (*catalog.Push, error)

	// ListPushes returns pushes, newest first.
	ListPushes(ctx context.Context, f PushFilter) ([]catalog.Push, error)

	// PushPack returns the stored pack of the push with id. Returns
	// ErrNotFound when there is no such push or its pack is gone (it was
	// forwarded or rejected).
	PushPack(ctx context.Context, id int64) ([]byte, error)

	// DecidePush records d on the held push with id: approved (the pack is
	// kept for forwarding) or rejected (the pack is deleted). Returns
	// ErrNotFound, a wrapped ErrPushState if the push is not held (two
	// reviewers at once: one wins), a wrapped ErrSelfApproval if d.By is the
	// pusher (four eyes, whatever the reviewer's role).
	DecidePush(ctx context.Context, id int64, d PushDecision, by *catalog.AuditEntry) (before, after *catalog.Push, err error)

	// ForwardedPush records that the approved push with id reached the
	// upstream at at; its pack is deleted. Returns ErrNotFound, a wrapped
	// ErrPushState if the push is not approved.
	ForwardedPush(ctx context.Context, id int64, at time.Time, by *catalog.AuditEntry) (*catalog.Push, error)

	// PushForwardFailed records msg as the last forwarding error of the
	// approved push with id. When final is false (the upstream could not be
	// reached) the push stays approved and keeps its pack, to be forwarded
	// again; when final is true (the upstream refused it) it becomes failed
	// and its pack is deleted. Returns ErrNotFound, a wrapped ErrPushState
	// if the push is not approved.
	PushForwardFailed(ctx context.Context, id int64, msg string, final bool, by *catalog.AuditEntry) error

	// ExpirePushes makes every push held since before heldBefore expired
	// at at, with reason, and deletes its pack, in one transaction with one
	// audit entry per push (a copy of by). It returns the pushes expired,
	// oldest first; none is an empty list, not an error.
	ExpirePushes(ctx context.Context, heldBefore, at time.Time, reason string, by *catalog.AuditEntry) ([]catalog.Push, error)
}

// ErrPushState is returned (wrapped) when a push is not in the status a
// change needs (approving a push that is no longer held). It is a
// catalog.ErrConflict.
var ErrPushState = catalog.Kind("push is not in the required status", catalog.ErrConflict)

// ErrSelfApproval is returned (wrapped) when the pusher decides on their own
// push. It is a catalog.ErrForbidden.
var ErrSelfApproval = catalog.Kind("the pusher may not review their own push", catalog.ErrForbidden)
