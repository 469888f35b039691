package catalog

import "time"

// Role is what an account may do, from least to most: see internal/auth for
// the one table of which role may perform which action.
type Role string

// The roles. Maintainer is held of a project (its owners): an account's
// stored role is one of the others, and internal/auth raises it to
// RoleMaintainer for the projects the account's person or teams own.
const (
	RoleViewer     Role = "viewer"
	RoleDeveloper  Role = "developer"
	RoleMaintainer Role = "maintainer"
	RoleOSPO       Role = "ospo"
	RoleAdmin      Role = "admin"
)

// Roles lists every role, least powerful first.
var Roles = []Role{RoleViewer, RoleDeveloper, RoleMaintainer, RoleOSPO, RoleAdmin}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

// Rank orders roles: a higher rank may do everything a lower one may. An
// unknown role ranks below every known one.
func (r Role) Rank() int {
	for i, x := range Roles {
		if r == x {
			return i
		}
	}
	return -1
}

// Account is someone who may sign in to the hub or act through the CLI or
// the API: a local account (with a password) or one created at its first
// OIDC sign-in.
type Account struct {
	ID    int64  `json:"id"`
	Email string `json:"email"` // lower-cased; unique
	Name  string `json:"name,omitempty"`
	Role  Role   `json:"role"`
	// Disabled accounts cannot sign in and their sessions and tokens are
	// refused.
	Disabled bool `json:"disabled"`
	// PasswordHash is the argon2id hash of a local account's password as a
	// PHC string ("$argon2id$v=19$m=…,t=…,p=…$salt$hash"); empty for an
	// account that signs in only through OIDC. Never the password itself.
	PasswordHash string `json:"-"`
	// Issuer and Subject identify the OIDC identity linked to the account
	// (the ID token's iss and sub); empty for a local-only account.
	Issuer    string    `json:"issuer,omitempty"`
	Subject   string    `json:"subject,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	LastLogin time.Time `json:"last_login,omitzero"`
}

// Session is a signed-in browser. Only a hash of the session id (the value
// of the cookie) is kept, so the store never holds a usable session.
type Session struct {
	// IDHash is the hex SHA-256 of the session id.
	IDHash    string    `json:"-"`
	AccountID int64     `json:"account_id"`
	CreatedAt time.Time `json:"created_at"`
	// LastSeen is when the session last served a request (idle expiry).
	LastSeen time.Time `json:"last_seen"`
	// ExpiresAt is the absolute expiry, whatever the activity.
	ExpiresAt time.Time `json:"expires_at"`
	Address   string    `json:"address,omitempty"`
	UserAgent string    `json:"user_agent,omitempty"`
}

// TokenScope is what an API token may do: at most its account's role allows.
type TokenScope string

// The token scopes.
const (
	ScopeRead  TokenScope = "read"
	ScopeWrite TokenScope = "write"
	ScopeAdmin TokenScope = "admin"
)

// Valid reports whether s is a known scope.
func (s TokenScope) Valid() bool { return s == ScopeRead || s == ScopeWrite || s == ScopeAdmin }

// APIToken is a bearer token for the REST API. Only a hash of the secret is
// stored; the secret is shown once, when it is created.
type APIToken struct {
	ID        int64  `json:"id"`
	AccountID int64  `json:"account_id"`
	Email     string `json:"email"` // the account's, filled in when read
	Name      string `json:"name,omitempty"`
	// Hash is the hex SHA-256 of the secret.
	Hash string `json:"-"`
	// Prefix is the first characters of the secret, enough to recognise it
	// in a list and too few to use it.
	Prefix    string     `json:"prefix"`
	Scope     TokenScope `json:"scope"`
	CreatedAt time.Time  `json:"created_at"`
	// ExpiresAt is zero for a token that does not expire.
	ExpiresAt time.Time `json:"expires_at,omitzero"`
	LastUsed  time.Time `json:"last_used,omitzero"`
	RevokedAt time.Time `json:"revoked_at,omitzero"`
}

// Active reports whether the token may be used at time now.
func (t *APIToken) Active(now time.Time) bool {
	return t.RevokedAt.IsZero() && (t.ExpiresAt.IsZero() || now.Before(t.ExpiresAt))
}

// MembershipSource says where a team membership was learnt.
type MembershipSource string

// The membership sources: an OIDC groups claim, Backstage Group/User
// entities, a teams.yaml file, or inferred from commits and ownership.
const (
	MemberOIDC      MembershipSource = "oidc"
	MemberBackstage MembershipSource = "backstage"
	MemberFile      MembershipSource = "file"
	MemberInferred  MembershipSource = "inferred"
)

// Valid reports whether s is a known source.
func (s MembershipSource) Valid() bool {
	switch s {
	case MemberOIDC, MemberBackstage, MemberFile, MemberInferred:
		return true
	}
	return false
}

// Membership says that the person with Email belongs to Team.
type Membership struct {
	Team   string           `json:"team"`
	Email  string           `json:"email"` // lower-cased
	Source MembershipSource `json:"source"`
}
