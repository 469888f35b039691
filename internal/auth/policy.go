// Package auth is who may do what: accounts with argon2id passwords,
// server-side sessions, API tokens, and the one policy table of which role
// may perform which action. The hub and the CLI both go through it; the
// store keeps only hashes of secrets, and every change is recorded in the
// audit log in the same transaction (see store.AccountStore).
package auth

import (
	"github.com/ospo-project/ospo/internal/catalog"
)

// Action is something a principal may be allowed to do.
type Action string

// The actions. Each route of the hub and each command maps to one.
const (
	// ReadCatalog: see the catalogue's pages and read its API.
	ReadCatalog Action = "catalog.read"
	// UseAccount: see one's own account ("me"), sign out, list, create and
	// revoke one's own API tokens.
	UseAccount Action = "account.use"
	// EditProject: change a project's settings (its maintainers).
	EditProject Action = "project.edit"
	// CreateRepository: create a repository from a golden path (the hub's
	// form of ospo new).
	CreateRepository Action = "repository.create"
	// Review: review and approve requests (the programme office); edit
	// the external estate.
	Review Action = "request.review"
	// UseRequests: open governance requests and act on them (approve,
	// reject, comment…); who may approve which request is then the
	// governance policy's (roles and teams of its kind, four eyes).
	UseRequests Action = "request.use"
	// ReadRequests: see governance requests and the external estate.
	ReadRequests Action = "request.read"
	// ReadAudit: read and export the audit log.
	ReadAudit Action = "audit.read"
	// ReadMetrics: read the Prometheus metrics.
	ReadMetrics Action = "metrics.read"
	// PushContribution: push to an open-source upstream through the push
	// proxy (whose checks and reviewers decide whether the push goes on).
	PushContribution Action = "push.contribute"
	// ManageAccounts: create, disable and change the role of accounts;
	// list and revoke anyone's tokens.
	ManageAccounts Action = "accounts.manage"
)

// grant is one row of the policy table: which roles may perform the action,
// and the least token scope that may.
type grant struct {
	viewer, developer, maintainer, ospo, admin bool
	scope                                      catalog.TokenScope
}

// Policy is THE table of who may do what: role × action. A maintainer is a
// developer who owns the project in question (see EffectiveRole).
var policy = map[Action]grant{
	//                 viewer developer maintainer ospo  admin  least token scope
	ReadCatalog:      {true, true, true, true, true, catalog.ScopeRead},
	UseAccount:       {true, true, true, true, true, catalog.ScopeWrite},
	EditProject:      {false, false, true, true, true, catalog.ScopeWrite},
	CreateRepository: {false, true, true, true, true, catalog.ScopeWrite},
	Review:           {false, false, false, true, true, catalog.ScopeWrite},
	PushContribution: {false, true, true, true, true, catalog.ScopeWrite},
	UseRequests:      {false, true, true, true, true, catalog.ScopeWrite},
	ReadRequests:     {true, true, true, true, true, catalog.ScopeRead},
	ReadAudit:        {false, false, false, true, true, catalog.ScopeRead},
	ReadMetrics:      {false, false, false, true, true, catalog.ScopeRead},
	ManageAccounts:   {false, false, false, false, true, catalog.ScopeAdmin},
}

// Actions lists every action, for tests and documentation.
func Actions() []Action {
	return []Action{ReadCatalog, UseAccount, EditProject, CreateRepository, Review, PushContribution, UseRequests, ReadRequests, ReadAudit, ReadMetrics, ManageAccounts}
}

// Allowed reports whether role may perform a. An unknown role or action is
// never allowed.
func Allowed(role catalog.Role, a Action) bool {
	g, ok := policy[a]
	if !ok {
		return false
	}
	switch role {
	case catalog.RoleViewer:
		return g.viewer
	case catalog.RoleDeveloper:
		return g.developer
	case catalog.RoleMaintainer:
		return g.maintainer
	case catalog.RoleOSPO:
		return g.ospo
	case catalog.RoleAdmin:
		return g.admin
	}
	return false
}

// ScopeAllows reports whether a token of scope s may be used for a.
func ScopeAllows(s catalog.TokenScope, a Action) bool {
	g, ok := policy[a]
	if !ok {
		return false
	}
	rank := map[catalog.TokenScope]int{catalog.ScopeRead: 1, catalog.ScopeWrite: 2, catalog.ScopeAdmin: 3}
	return rank[s] > 0 && rank[s] >= rank[g.scope]
}

// EffectiveRole is the role an account holds over one object: a developer
// who owns it (a project's owner, through CODEOWNERS, catalog-info.yaml or a
// team) is its maintainer; other roles are unchanged.
func EffectiveRole(role catalog.Role, owner bool) catalog.Role {
	if owner && role == catalog.RoleDeveloper {
		return catalog.RoleMaintainer
	}
	return role
}

// How a principal was authenticated.
const (
	ViaAnonymous = "anonymous"
	ViaSession   = "session"
	ViaToken     = "token"
)

// Principal is who makes a request: an account signed in by a session or a
// token, or nobody.
type Principal struct {
	// Account is nil for an anonymous principal.
	Account *catalog.Account
	// Role is the account's role; for an anonymous principal, viewer when
	// anonymous reading is allowed, else empty (nothing is allowed).
	Role catalog.Role
	Via  string
	// Scope limits a token's principal.
	Scope catalog.TokenScope
	// TokenID is the token's, when Via is ViaToken.
	TokenID int64
	// SessionID is the raw session id, when Via is ViaSession: the key of
	// its CSRF token. Never log it.
	SessionID string
}

// Can reports whether p may perform a: its role allows it and, for a token,
// so does the token's scope.
func (p *Principal) Can(a Action) bool {
	if p == nil || (p.Account != nil && p.Account.Disabled) {
		return false
	}
	if p.Account == nil && a != ReadCatalog {
		return false
	}
	if !Allowed(p.Role, a) {
		return false
	}
	if p.Via == ViaToken {
		return ScopeAllows(p.Scope, a)
	}
	return true
}

// Email returns the account's e-mail, or "" for an anonymous principal.
func (p *Principal) Email() string {
	if p == nil || p.Account == nil {
		return ""
	}
	return p.Account.Email
}
