package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store"
)

// Errors of Service, safe to show: they say what failed and never why a
// sign-in failed beyond "wrong e-mail or password".
var (
	// ErrBadCredentials: no such account, a wrong password, or an account
	// that has no password. One error for all three, so that a sign-in
	// does not reveal which accounts exist.
	ErrBadCredentials = catalog.Kind("wrong e-mail or password", catalog.ErrUnauthenticated)
	// ErrDisabled: the account is disabled.
	ErrDisabled = catalog.Kind("account disabled", catalog.ErrForbidden)
	// ErrRateLimited: too many failed sign-ins for the account or from the
	// address; try again later.
	ErrRateLimited = catalog.Kind("too many failed sign-ins; try again later", catalog.ErrRateLimited)
	// ErrUnauthenticated: no valid session or token (expired, revoked,
	// unknown or malformed).
	ErrUnauthenticated = catalog.Kind("not signed in", catalog.ErrUnauthenticated)
)

// Actor is who makes a change and from where: it becomes the audit entry's
// who and where.
type Actor struct {
	// Name is the account's e-mail, or the operating system user for the CLI.
	Name    string
	Person  string
	Source  string // "cli", "hub" or "api"
	Address string
}

// Entry returns the audit entry of action by a at at, for a store method to
// complete and append.
func (a Actor) Entry(action string, at time.Time) *catalog.AuditEntry {
	return &catalog.AuditEntry{At: at, Actor: a.Name, Person: a.Person, Source: a.Source, Address: a.Address, Action: action}
}

// Audit actions written by Service, one per change.
const (
	ActAccountCreate   = "account.create"
	ActAccountRole     = "account.set-role"
	ActAccountDisable  = "account.disable"
	ActAccountEnable   = "account.enable"
	ActAccountPassword = "account.set-password"
	ActSignIn          = "session.sign-in"
	ActSignOut         = "session.sign-out"
	ActSignOutAll      = "session.sign-out-everywhere"
	ActTokenCreate     = "token.create"
	ActTokenRevoke     = "token.revoke"
	// ActPersonOptOut is a change of a person's opt-outs (appearing as an
	// expert, recommendations), made on the hub or with the CLI.
	ActPersonOptOut = "person.opt-out"
)

// Service performs account operations over a store. Its fields are set
// before first use and not changed after; it is then safe for concurrent use.
type Service struct {
	Store store.Store
	// Argon2 are the parameters of new password hashes (DefaultArgon2 if zero).
	Argon2 Argon2Params
	// SessionIdle and SessionMax are the idle and absolute session
	// lifetimes (defaults 12 hours and 7 days).
	SessionIdle, SessionMax time.Duration
	// PerAccount and PerAddress limit failed sign-ins (defaults: 5 per
	// account and 20 per address in 15 minutes).
	PerAccount, PerAddress *Limiter
	// Now returns the time (time.Now if nil).
	Now func() time.Time
}

// NewService returns a Service over st with the default settings.
func NewService(st store.Store) *Service {
	return &Service{Store: st, Argon2: DefaultArgon2, SessionIdle: 12 * time.Hour, SessionMax: 7 * 24 * time.Hour,
		PerAccount: NewLimiter(5, 15*time.Minute), PerAddress: NewLimiter(20, 15*time.Minute), Now: time.Now}
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// CreateAccount creates an account with role (developer if empty) and, when
// password is not empty, a local password.
func (s *Service) CreateAccount(ctx context.Context, by Actor, email string, role catalog.Role, password string) (catalog.Account, error) {
	if role == "" {
		role = catalog.RoleDeveloper
	}
	if !role.Valid() {
		return catalog.Account{}, fmt.Errorf("%w: unknown role %q (want one of %s)", store.ErrInvalid, role, RoleNames())
	}
	email = strings.TrimSpace(email)
	if !plausibleEmail(email) {
		return catalog.Account{}, fmt.Errorf("%w: %q is not an e-mail address", store.ErrInvalid, email)
	}
	a := catalog.Account{Email: email, Role: role, CreatedAt: s.now()}
	if password != "" {
		h, err := HashPassword(password, s.argon())
		if err != nil {
			return a, err
		}
		a.PasswordHash = h
	}
	return s.Store.CreateAccount(ctx, a, by.Entry(ActAccountCreate, s.now()))
}

func (s *Service) argon() Argon2Params {
	if s.Argon2.MemoryKiB == 0 {
		return DefaultArgon2
	}
	return s.Argon2
}

// RoleNames lists the roles an account may be given, for messages.
func RoleNames() string {
	return "viewer, developer, ospo, admin"
}

func plausibleEmail(e string) bool {
	at := strings.IndexByte(e, '@')
	return at > 0 && at < len(e)-1 && !strings.ContainsAny(e, " \t\r\n<>\"") && len(e) <= 254
}

// SetRole changes the account's role; an account's stored role is never
// maintainer, which is held of a project (see EffectiveRole).
func (s *Service) SetRole(ctx context.Context, by Actor, email string, role catalog.Role) (*catalog.Account, error) {
	if !role.Valid() || role == catalog.RoleMaintainer {
		return nil, fmt.Errorf("%w: unknown role %q (want one of %s)", store.ErrInvalid, role, RoleNames())
	}
	a, err := s.Store.Account(ctx, email)
	if err != nil {
		return nil, err
	}
	_, after, err := s.Store.UpdateAccount(ctx, a.ID, store.AccountUpdate{Role: &role}, by.Entry(ActAccountRole, s.now()))
	return after, err
}

// SetDisabled disables (or enables again) the account; disabling it ends
// its sessions, and its tokens are refused while it is disabled.
func (s *Service) SetDisabled(ctx context.Context, by Actor, email string, disabled bool) (*catalog.Account, error) {
	a, err := s.Store.Account(ctx, email)
	if err != nil {
		return nil, err
	}
	action := ActAccountDisable
	if !disabled {
		action = ActAccountEnable
	}
	_, after, err := s.Store.UpdateAccount(ctx, a.ID, store.AccountUpdate{Disabled: &disabled}, by.Entry(action, s.now()))
	return after, err
}

// SetPassword sets the account's local password.
func (s *Service) SetPassword(ctx context.Context, by Actor, email, password string) error {
	a, err := s.Store.Account(ctx, email)
	if err != nil {
		return err
	}
	h, err := HashPassword(password, s.argon())
	if err != nil {
		return err
	}
	_, _, err = s.Store.UpdateAccount(ctx, a.ID, store.AccountUpdate{PasswordHash: &h}, by.Entry(ActAccountPassword, s.now()))
	return err
}

// NewSession is a session just created: the id goes into the cookie, and is
// shown nowhere else.
type NewSession struct {
	ID      string
	Account *catalog.Account
	Session catalog.Session
}

// SignIn checks a local account's password and opens a session for it. It
// returns ErrRateLimited before checking anything when the account or the
// address has failed too often, ErrBadCredentials for an unknown account or
// a wrong password, ErrDisabled for a disabled account. by.Address is the
// client's address; by.Name is filled in from the account.
func (s *Service) SignIn(ctx context.Context, by Actor, email, password, userAgent string) (*NewSession, error) {
	now := s.now()
	key := strings.ToLower(strings.TrimSpace(email))
	if s.PerAccount != nil && !s.PerAccount.Allow(key, now) || s.PerAddress != nil && !s.PerAddress.Allow(by.Address, now) {
		return nil, ErrRateLimited
	}
	fail := func(err error) (*NewSession, error) {
		if s.PerAccount != nil {
			s.PerAccount.Fail(key, now)
		}
		if s.PerAddress != nil {
			s.PerAddress.Fail(by.Address, now)
		}
		return nil, err
	}
	a, err := s.Store.Account(ctx, email)
	if errors.Is(err, store.ErrNotFound) {
		// Spend the time a check would, so that timing does not tell
		// which accounts exist.
		CheckPassword(dummyHash(), password)
		return fail(ErrBadCredentials)
	}
	if err != nil {
		return nil, err
	}
	if a.PasswordHash == "" {
		CheckPassword(dummyHash(), password)
		return fail(ErrBadCredentials)
	}
	ok, err := CheckPassword(a.PasswordHash, password)
	if err != nil {
		return nil, fmt.Errorf("sign in %s: %w", a.Email, err)
	}
	if !ok {
		return fail(ErrBadCredentials)
	}
	if a.Disabled {
		return fail(ErrDisabled)
	}
	if s.PerAccount != nil {
		s.PerAccount.Reset(key)
	}
	by.Name = a.Email
	return s.StartSession(ctx, by, a, userAgent)
}

// dummyHash is checked against when there is no account, to take the time
// a real check takes. It is made on first use, not when the program starts.
var dummyHash = sync.OnceValue(func() string {
	h, _ := HashPassword("not the password of anyone", DefaultArgon2)
	return h
})

// StartSession opens a new session for a (after a password or an OIDC
// sign-in) and records the sign-in, and the login time on the account.
func (s *Service) StartSession(ctx context.Context, by Actor, a *catalog.Account, userAgent string) (*NewSession, error) {
	now := s.now()
	id, hash := NewSessionID()
	se := catalog.Session{IDHash: hash, AccountID: a.ID, CreatedAt: now, LastSeen: now, ExpiresAt: now.Add(s.sessionMax()),
		Address: by.Address, UserAgent: truncate(userAgent, 200)}
	if err := s.Store.CreateSession(ctx, se, by.Entry(ActSignIn, now)); err != nil {
		return nil, err
	}
	// The last login time is bookkeeping, not a change to audit.
	if _, _, err := s.Store.UpdateAccount(ctx, a.ID, store.AccountUpdate{LastLogin: &now}, nil); err != nil {
		return nil, err
	}
	return &NewSession{ID: id, Account: a, Session: se}, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

func (s *Service) sessionMax() time.Duration {
	if s.SessionMax > 0 {
		return s.SessionMax
	}
	return 7 * 24 * time.Hour
}

func (s *Service) sessionIdle() time.Duration {
	if s.SessionIdle > 0 {
		return s.SessionIdle
	}
	return 12 * time.Hour
}

// touchEvery is how stale LastSeen may get before a request refreshes it:
// one write per session a minute rather than one per request.
const touchEvery = time.Minute

// Session returns the principal of the session with id (the cookie's
// value). It returns ErrUnauthenticated for a malformed, unknown, expired
// or idle session, or a disabled account, and deletes an expired one.
func (s *Service) Session(ctx context.Context, id string) (*Principal, error) {
	hash, err := ParseSessionID(id)
	if err != nil {
		return nil, ErrUnauthenticated
	}
	se, err := s.Store.Session(ctx, hash)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrUnauthenticated
	}
	if err != nil {
		return nil, err
	}
	now := s.now()
	if !now.Before(se.ExpiresAt) || now.Sub(se.LastSeen) >= s.sessionIdle() {
		s.Store.DeleteSession(ctx, hash, nil) // expiry is not a change anyone made
		return nil, ErrUnauthenticated
	}
	a, err := s.Store.AccountByID(ctx, se.AccountID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrUnauthenticated
	}
	if err != nil {
		return nil, err
	}
	if a.Disabled {
		return nil, ErrUnauthenticated
	}
	if now.Sub(se.LastSeen) >= touchEvery {
		if err := s.Store.TouchSession(ctx, hash, now); err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
	}
	return &Principal{Account: a, Role: a.Role, Via: ViaSession, SessionID: id}, nil
}

// SweepSessions deletes the sessions that have expired (absolute or idle)
// and returns how many; expired sessions are refused anyway, this only
// keeps the table small. It appends no audit entry: nobody made a change.
func (s *Service) SweepSessions(ctx context.Context) (int, error) {
	now := s.now()
	return s.Store.DeleteExpiredSessions(ctx, now, now.Add(-s.sessionIdle()))
}

// SignOut ends the session with id. Ending an unknown session is not an error.
func (s *Service) SignOut(ctx context.Context, by Actor, id string) error {
	hash, err := ParseSessionID(id)
	if err != nil {
		return nil
	}
	return s.Store.DeleteSession(ctx, hash, by.Entry(ActSignOut, s.now()))
}

// SignOutEverywhere ends every session of the account.
func (s *Service) SignOutEverywhere(ctx context.Context, by Actor, accountID int64) (int, error) {
	return s.Store.DeleteSessions(ctx, accountID, by.Entry(ActSignOutAll, s.now()))
}

// Token returns the principal of an API token secret. It returns
// ErrUnauthenticated for a malformed, unknown, revoked or expired token, or
// a disabled account. It records the token's last use (at most once a minute).
func (s *Service) Token(ctx context.Context, secret string) (*Principal, error) {
	hash, err := ParseToken(secret)
	if err != nil {
		return nil, ErrUnauthenticated
	}
	k, err := s.Store.TokenByHash(ctx, hash)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrUnauthenticated
	}
	if err != nil {
		return nil, err
	}
	now := s.now()
	if !k.Active(now) {
		return nil, ErrUnauthenticated
	}
	a, err := s.Store.AccountByID(ctx, k.AccountID)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, ErrUnauthenticated
		}
		return nil, err
	}
	if a.Disabled {
		return nil, ErrUnauthenticated
	}
	if now.Sub(k.LastUsed) >= touchEvery {
		if err := s.Store.TouchToken(ctx, k.ID, now); err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
	}
	return &Principal{Account: a, Role: a.Role, Via: ViaToken, Scope: k.Scope, TokenID: k.ID}, nil
}

// CreateToken creates an API token for the account with email, of scope
// (read if empty), expiring after ttl (never if zero), and returns the
// secret, which is shown once and stored nowhere, with the stored token.
func (s *Service) CreateToken(ctx context.Context, by Actor, email, name string, scope catalog.TokenScope, ttl time.Duration) (string, catalog.APIToken, error) {
	if scope == "" {
		scope = catalog.ScopeRead
	}
	if !scope.Valid() {
		return "", catalog.APIToken{}, fmt.Errorf("%w: unknown scope %q (want read, write or admin)", store.ErrInvalid, scope)
	}
	if ttl < 0 {
		return "", catalog.APIToken{}, fmt.Errorf("%w: negative expiry", store.ErrInvalid)
	}
	a, err := s.Store.Account(ctx, email)
	if err != nil {
		return "", catalog.APIToken{}, err
	}
	secret, prefix, hash := NewToken()
	now := s.now()
	k := catalog.APIToken{AccountID: a.ID, Name: name, Hash: hash, Prefix: prefix, Scope: scope, CreatedAt: now}
	if ttl > 0 {
		k.ExpiresAt = now.Add(ttl)
	}
	k, err = s.Store.CreateToken(ctx, k, by.Entry(ActTokenCreate, now))
	if err != nil {
		return "", k, err
	}
	return secret, k, nil
}

// RevokeToken revokes the token with id.
func (s *Service) RevokeToken(ctx context.Context, by Actor, id int64) (*catalog.APIToken, error) {
	now := s.now()
	return s.Store.RevokeToken(ctx, id, now, by.Entry(ActTokenRevoke, now))
}

// ParseDuration reads a duration with day units as well as Go's: "90d",
// "12h", "1d12h".
func ParseDuration(s string) (time.Duration, error) {
	var total time.Duration
	rest := s
	if i := strings.IndexByte(rest, 'd'); i > 0 {
		var days int
		if _, err := fmt.Sscanf(rest[:i], "%d", &days); err != nil || days < 0 || days > 100*365 {
			return 0, fmt.Errorf("%w: duration %q", store.ErrInvalid, s)
		}
		total = time.Duration(days) * 24 * time.Hour
		rest = rest[i+1:]
	}
	if rest != "" {
		d, err := time.ParseDuration(rest)
		if err != nil || d < 0 {
			return 0, fmt.Errorf("%w: duration %q (write 90d, 12h, 30m)", store.ErrInvalid, s)
		}
		total += d
	}
	if s == "" {
		return 0, fmt.Errorf("%w: empty duration", store.ErrInvalid)
	}
	return total, nil
}
