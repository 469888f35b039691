package store

import (
	"context"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
)

// ErrExists is returned (wrapped) when creating something whose unique name
// is taken: an account with the same e-mail.
var ErrExists = catalog.Kind("already exists", catalog.ErrConflict)

// AccountUpdate is a change to an account; nil fields are left as they are.
type AccountUpdate struct {
	Name         *string
	Role         *catalog.Role
	Disabled     *bool
	PasswordHash *string
	Issuer       *string
	Subject      *string
	LastLogin    *time.Time
}

// TokenFilter narrows ListTokens. The zero value lists every token.
type TokenFilter struct {
	// AccountID, when not zero, lists that account's tokens only.
	AccountID int64
	// IncludeRevoked lists revoked tokens too.
	IncludeRevoked bool
}

// AccountStore persists accounts, sessions, API tokens and team
// memberships. It is part of Store. E-mails are compared lower-cased.
// Secrets never reach it: passwords, session ids and token secrets arrive
// hashed (see internal/auth).
//
// The methods that change state take by, the audit entry of the change
// with At, Actor, Person, Source, Address and Action set by the caller:
// when by is not nil the store fills in Object, Before and After (JSON of
// the object without its secrets) and appends it to the audit log in the
// same transaction as the change (see AuditStore.AppendAudit), so a change
// is never stored without its entry nor the entry without the change. A
// change that fails appends nothing.
type AccountStore interface {
	// CreateAccount stores a new account and returns it with ID and
	// CreatedAt set. Returns a wrapped ErrExists if the e-mail is taken and
	// a wrapped ErrInvalid for an empty e-mail or an unknown role.
	CreateAccount(ctx context.Context, a catalog.Account, by *catalog.AuditEntry) (catalog.Account, error)

	// Account returns the account with the e-mail (any case). Returns
	// ErrNotFound if there is none.
	Account(ctx context.Context, email string) (*catalog.Account, error)

	// AccountByID returns the account with id. Returns ErrNotFound.
	AccountByID(ctx context.Context, id int64) (*catalog.Account, error)

	// AccountBySubject returns the account linked to the OIDC identity
	// (issuer, subject). Returns ErrNotFound.
	AccountBySubject(ctx context.Context, issuer, subject string) (*catalog.Account, error)

	// ListAccounts returns every account, ordered by e-mail.
	ListAccounts(ctx context.Context) ([]catalog.Account, error)

	// UpdateAccount applies u to the account with id and returns the account
	// before and after the change. Disabling an account also deletes its
	// sessions. Returns ErrNotFound, or a wrapped ErrInvalid for an unknown role.
	UpdateAccount(ctx context.Context, id int64, u AccountUpdate, by *catalog.AuditEntry) (before, after *catalog.Account, err error)

	// CreateSession stores s. Returns ErrNotFound if its account does not exist.
	CreateSession(ctx context.Context, s catalog.Session, by *catalog.AuditEntry) error

	// Session returns the session whose id hashes to idHash. Returns
	// ErrNotFound; expiry is the caller's to check.
	Session(ctx context.Context, idHash string) (*catalog.Session, error)

	// TouchSession sets the session's LastSeen to at. Returns ErrNotFound.
	TouchSession(ctx context.Context, idHash string, at time.Time) error

	// DeleteSession removes one session; removing one that does not exist
	// is not an error (and appends no entry).
	DeleteSession(ctx context.Context, idHash string, by *catalog.AuditEntry) error

	// DeleteSessions removes every session of the account (sign out
	// everywhere) and returns how many there were. Returns ErrNotFound if
	// there is no such account.
	DeleteSessions(ctx context.Context, accountID int64, by *catalog.AuditEntry) (int, error)

	// DeleteExpiredSessions removes sessions whose absolute expiry is before
	// now or that have not been seen since idleSince; it returns how many.
	DeleteExpiredSessions(ctx context.Context, now, idleSince time.Time) (int, error)

	// CreateToken stores t and returns it with ID and CreatedAt set.
	// Returns ErrNotFound if its account does not exist, a wrapped
	// ErrInvalid for an unknown scope or an empty hash, a wrapped ErrExists
	// if the hash is already stored.
	CreateToken(ctx context.Context, t catalog.APIToken, by *catalog.AuditEntry) (catalog.APIToken, error)

	// TokenByHash returns the token whose secret hashes to hash, revoked or
	// expired ones included (the caller checks Active). Returns ErrNotFound.
	TokenByHash(ctx context.Context, hash string) (*catalog.APIToken, error)

	// Token returns the token with id. Returns ErrNotFound.
	Token(ctx context.Context, id int64) (*catalog.APIToken, error)

	// ListTokens returns tokens, newest first.
	ListTokens(ctx context.Context, f TokenFilter) ([]catalog.APIToken, error)

	// TouchToken records that the token was used at at. Returns ErrNotFound.
	TouchToken(ctx context.Context, id int64, at time.Time) error

	// RevokeToken marks the token revoked at at and returns it as it was
	// before. Returns ErrNotFound; revoking a revoked token keeps the first
	// revocation time.
	RevokeToken(ctx context.Context, id int64, at time.Time, by *catalog.AuditEntry) (*catalog.APIToken, error)

	// ReplaceMemberships replaces every team membership learnt from source
	// with ms (whose Source must all be source). Returns a wrapped
	// ErrInvalid for an unknown source, an empty team or e-mail.
	ReplaceMemberships(ctx context.Context, source catalog.MembershipSource, ms []catalog.Membership, by *catalog.AuditEntry) error

	// SetAccountMemberships replaces the memberships of one e-mail learnt
	// from source (an OIDC sign-in brings the groups of one person).
	SetAccountMemberships(ctx context.Context, email string, source catalog.MembershipSource, teams []string, by *catalog.AuditEntry) error

	// Memberships returns team memberships ordered by team, e-mail and
	// source; email, when not empty, restricts them to one person.
	Memberships(ctx context.Context, email string) ([]catalog.Membership, error)
}
