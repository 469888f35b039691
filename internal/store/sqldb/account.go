package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store"
)

const accountCols = `id, email, name, role, disabled, password_hash, issuer, subject, created_at, last_login`

func scanAccount(row interface{ Scan(...any) error }) (*catalog.Account, error) {
	var a catalog.Account
	var disabled int64
	var role string
	var created, last sql.NullInt64
	if err := row.Scan(&a.ID, &a.Email, &a.Name, &role, &disabled, &a.PasswordHash, &a.Issuer, &a.Subject, &created, &last); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, store.ErrNotFound
		}
		return nil, err
	}
	a.Role = catalog.Role(role)
	a.Disabled = disabled != 0
	a.CreatedAt = decTime(created)
	a.LastLogin = decTime(last)
	return &a, nil
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// normEmail is the stored form of an e-mail: cleaned, trimmed, lower-cased.
func normEmail(email string) string { return strings.TrimSpace(fold(email)) }

// CreateAccount implements store.AccountStore.
func (s *Store) CreateAccount(ctx context.Context, a catalog.Account, by *catalog.AuditEntry) (catalog.Account, error) {
	a.Email = normEmail(a.Email)
	if a.Email == "" {
		return a, fmt.Errorf("create account: %w: empty e-mail", store.ErrInvalid)
	}
	if !a.Role.Valid() {
		return a, fmt.Errorf("create account %s: %w: unknown role %q", a.Email, store.ErrInvalid, a.Role)
	}
	if a.CreatedAt.IsZero() {
		a.CreatedAt = time.Now().UTC()
	}
	err := s.writeAccounts(ctx, "create account "+a.Email, func(t tx) error {
		var n int
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM accounts WHERE email = ?`, a.Email).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("%w: an account with this e-mail", store.ErrExists)
		}
		a.Name, a.PasswordHash, a.Issuer, a.Subject = clean(a.Name), clean(a.PasswordHash), clean(a.Issuer), clean(a.Subject)
		a.CreatedAt = time.Unix(0, a.CreatedAt.UnixNano()).UTC() // as read back
		if err := t.queryRow(ctx, `INSERT INTO accounts (email, name, role, disabled, password_hash, issuer, subject, created_at, last_login)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			a.Email, a.Name, string(a.Role), boolInt(a.Disabled), a.PasswordHash, a.Issuer, a.Subject,
			encTime(a.CreatedAt), encTime(a.LastLogin)).Scan(&a.ID); err != nil {
			return err
		}
		return s.record(ctx, t, by, "account:"+a.Email, nil, a)
	})
	return a, err
}

// Account implements store.AccountStore.
func (s *Store) Account(ctx context.Context, email string) (*catalog.Account, error) {
	var a *catalog.Account
	err := s.read(ctx, "account "+clean(email), func(t tx) (err error) {
		a, err = scanAccount(t.queryRow(ctx, `SELECT `+accountCols+` FROM accounts WHERE email = ?`, normEmail(email)))
		return err
	})
	return a, err
}

// AccountByID implements store.AccountStore.
func (s *Store) AccountByID(ctx context.Context, id int64) (*catalog.Account, error) {
	var a *catalog.Account
	err := s.read(ctx, fmt.Sprintf("account %d", id), func(t tx) (err error) {
		a, err = scanAccount(t.queryRow(ctx, `SELECT `+accountCols+` FROM accounts WHERE id = ?`, id))
		return err
	})
	return a, err
}

// AccountBySubject implements store.AccountStore.
func (s *Store) AccountBySubject(ctx context.Context, issuer, subject string) (*catalog.Account, error) {
	if subject == "" {
		return nil, store.ErrNotFound
	}
	var a *catalog.Account
	err := s.read(ctx, "account by OIDC subject", func(t tx) (err error) {
		a, err = scanAccount(t.queryRow(ctx, `SELECT `+accountCols+` FROM accounts WHERE issuer = ? AND subject = ?`, clean(issuer), clean(subject)))
		return err
	})
	return a, err
}

// ListAccounts implements store.AccountStore.
func (s *Store) ListAccounts(ctx context.Context) ([]catalog.Account, error) {
	var out []catalog.Account
	err := s.read(ctx, "list accounts", func(t tx) error {
		rows, err := t.query(ctx, `SELECT `+accountCols+` FROM accounts ORDER BY email`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			a, err := scanAccount(rows)
			if err != nil {
				return err
			}
			out = append(out, *a)
		}
		return rows.Err()
	})
	return out, err
}

// UpdateAccount implements store.AccountStore.
func (s *Store) UpdateAccount(ctx context.Context, id int64, u store.AccountUpdate, by *catalog.AuditEntry) (before, after *catalog.Account, err error) {
	if u.Role != nil && !u.Role.Valid() {
		return nil, nil, fmt.Errorf("update account %d: %w: unknown role %q", id, store.ErrInvalid, *u.Role)
	}
	err = s.writeAccounts(ctx, fmt.Sprintf("update account %d", id), func(t tx) error {
		var err error
		before, err = scanAccount(t.queryRow(ctx, `SELECT `+accountCols+` FROM accounts WHERE id = ?`, id))
		if err != nil {
			return err
		}
		a := *before
		if u.Name != nil {
			a.Name = clean(*u.Name)
		}
		if u.Role != nil {
			a.Role = *u.Role
		}
		if u.Disabled != nil {
			a.Disabled = *u.Disabled
		}
		if u.PasswordHash != nil {
			a.PasswordHash = clean(*u.PasswordHash)
		}
		if u.Issuer != nil {
			a.Issuer = clean(*u.Issuer)
		}
		if u.Subject != nil {
			a.Subject = clean(*u.Subject)
		}
		if u.LastLogin != nil {
			a.LastLogin = time.Time{}
			if !u.LastLogin.IsZero() {
				a.LastLogin = time.Unix(0, u.LastLogin.UnixNano()).UTC()
			}
		}
		if _, err := t.exec(ctx, `UPDATE accounts SET name = ?, role = ?, disabled = ?, password_hash = ?, issuer = ?, subject = ?, last_login = ?
			WHERE id = ?`, a.Name, string(a.Role), boolInt(a.Disabled), a.PasswordHash, a.Issuer, a.Subject, encTime(a.LastLogin), id); err != nil {
			return err
		}
		if a.Disabled {
			if _, err := t.exec(ctx, `DELETE FROM sessions WHERE account_id = ?`, id); err != nil {
				return err
			}
		}
		after = &a
		return s.record(ctx, t, by, "account:"+a.Email, before, after)
	})
	if err != nil {
		return nil, nil, err
	}
	return before, after, nil
}

const sessionCols = `id_hash, account_id, created_at, last_seen, expires_at, address, user_agent`

// CreateSession implements store.AccountStore.
func (s *Store) CreateSession(ctx context.Context, se catalog.Session, by *catalog.AuditEntry) error {
	if se.IDHash == "" {
		return fmt.Errorf("create session: %w: empty id hash", store.ErrInvalid)
	}
	return s.writeAccounts(ctx, fmt.Sprintf("create session of account %d", se.AccountID), func(t tx) error {
		var email string
		err := t.queryRow(ctx, `SELECT email FROM accounts WHERE id = ?`, se.AccountID).Scan(&email)
		if errors.Is(err, sql.ErrNoRows) {
			return store.ErrNotFound
		}
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, `INSERT INTO sessions (`+sessionCols+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			clean(se.IDHash), se.AccountID, encTime(se.CreatedAt), encTime(se.LastSeen), encTime(se.ExpiresAt), clean(se.Address), clean(se.UserAgent)); err != nil {
			return err
		}
		return s.record(ctx, t, by, "account:"+email, nil, se)
	})
}

// Session implements store.AccountStore.
func (s *Store) Session(ctx context.Context, idHash string) (*catalog.Session, error) {
	var se catalog.Session
	err := s.read(ctx, "session", func(t tx) error {
		var created, seen, exp sql.NullInt64
		err := t.queryRow(ctx, `SELECT `+sessionCols+` FROM sessions WHERE id_hash = ?`, clean(idHash)).
			Scan(&se.IDHash, &se.AccountID, &created, &seen, &exp, &se.Address, &se.UserAgent)
		if errors.Is(err, sql.ErrNoRows) {
			return store.ErrNotFound
		}
		se.CreatedAt, se.LastSeen, se.ExpiresAt = decTime(created), decTime(seen), decTime(exp)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &se, nil
}

// TouchSession implements store.AccountStore.
func (s *Store) TouchSession(ctx context.Context, idHash string, at time.Time) error {
	return s.writeAccounts(ctx, "touch session", func(t tx) error {
		return affected(t.exec(ctx, `UPDATE sessions SET last_seen = ? WHERE id_hash = ?`, encTime(at), clean(idHash)))
	})
}

// affected turns an exec that changed no row into ErrNotFound.
func affected(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return store.ErrNotFound
	}
	return nil
}

// DeleteSession implements store.AccountStore.
func (s *Store) DeleteSession(ctx context.Context, idHash string, by *catalog.AuditEntry) error {
	return s.writeAccounts(ctx, "delete session", func(t tx) error {
		var email string
		err := t.queryRow(ctx, `SELECT a.email FROM sessions se JOIN accounts a ON a.id = se.account_id WHERE se.id_hash = ?`, clean(idHash)).Scan(&email)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, `DELETE FROM sessions WHERE id_hash = ?`, clean(idHash)); err != nil {
			return err
		}
		return s.record(ctx, t, by, "account:"+email, nil, nil)
	})
}

// DeleteSessions implements store.AccountStore.
func (s *Store) DeleteSessions(ctx context.Context, accountID int64, by *catalog.AuditEntry) (int, error) {
	var n int64
	err := s.writeAccounts(ctx, fmt.Sprintf("delete sessions of account %d", accountID), func(t tx) error {
		var email string
		err := t.queryRow(ctx, `SELECT email FROM accounts WHERE id = ?`, accountID).Scan(&email)
		if errors.Is(err, sql.ErrNoRows) {
			return store.ErrNotFound
		}
		if err != nil {
			return err
		}
		res, err := t.exec(ctx, `DELETE FROM sessions WHERE account_id = ?`, accountID)
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil {
			return err
		}
		return s.record(ctx, t, by, "account:"+email, map[string]int64{"sessions": n}, map[string]int64{"sessions": 0})
	})
	return int(n), err
}

// DeleteExpiredSessions implements store.AccountStore.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now, idleSince time.Time) (int, error) {
	var n int64
	err := s.writeAccounts(ctx, "delete expired sessions", func(t tx) error {
		res, err := t.exec(ctx, `DELETE FROM sessions WHERE expires_at < ? OR last_seen < ?`, encTime(now), encTime(idleSince))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}

const tokenCols = `k.id, k.account_id, a.email, k.name, k.hash, k.prefix, k.scope, k.created_at, k.expires_at, k.last_used, k.revoked_at`

func scanToken(row interface{ Scan(...any) error }) (*catalog.APIToken, error) {
	var k catalog.APIToken
	var scope string
	var created, exp, used, revoked sql.NullInt64
	if err := row.Scan(&k.ID, &k.AccountID, &k.Email, &k.Name, &k.Hash, &k.Prefix, &scope, &created, &exp, &used, &revoked); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, store.ErrNotFound
		}
		return nil, err
	}
	k.Scope = catalog.TokenScope(scope)
	k.CreatedAt, k.ExpiresAt, k.LastUsed, k.RevokedAt = decTime(created), decTime(exp), decTime(used), decTime(revoked)
	return &k, nil
}

// CreateToken implements store.AccountStore.
func (s *Store) CreateToken(ctx context.Context, k catalog.APIToken, by *catalog.AuditEntry) (catalog.APIToken, error) {
	if !k.Scope.Valid() {
		return k, fmt.Errorf("create token: %w: unknown scope %q", store.ErrInvalid, k.Scope)
	}
	if k.Hash == "" {
		return k, fmt.Errorf("create token: %w: empty hash", store.ErrInvalid)
	}
	if k.CreatedAt.IsZero() {
		k.CreatedAt = time.Now()
	}
	var out *catalog.APIToken
	err := s.writeAccounts(ctx, fmt.Sprintf("create token for account %d", k.AccountID), func(t tx) error {
		var n int
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM accounts WHERE id = ?`, k.AccountID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return store.ErrNotFound
		}
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM api_tokens WHERE hash = ?`, clean(k.Hash)).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("%w: a token with this hash", store.ErrExists)
		}
		var id int64
		if err := t.queryRow(ctx, `INSERT INTO api_tokens (account_id, name, hash, prefix, scope, created_at, expires_at, last_used, revoked_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, k.AccountID, clean(k.Name), clean(k.Hash), clean(k.Prefix), string(k.Scope),
			encTime(k.CreatedAt), encTime(k.ExpiresAt), encTime(k.LastUsed), encTime(k.RevokedAt)).Scan(&id); err != nil {
			return err
		}
		var err error
		out, err = scanToken(t.queryRow(ctx, `SELECT `+tokenCols+` FROM api_tokens k JOIN accounts a ON a.id = k.account_id WHERE k.id = ?`, id))
		if err != nil {
			return err
		}
		return s.record(ctx, t, by, fmt.Sprintf("token:%d", id), nil, out)
	})
	if err != nil {
		return k, err
	}
	return *out, nil
}

// TokenByHash implements store.AccountStore.
func (s *Store) TokenByHash(ctx context.Context, hash string) (*catalog.APIToken, error) {
	var k *catalog.APIToken
	err := s.read(ctx, "token by hash", func(t tx) (err error) {
		k, err = scanToken(t.queryRow(ctx, `SELECT `+tokenCols+` FROM api_tokens k JOIN accounts a ON a.id = k.account_id WHERE k.hash = ?`, clean(hash)))
		return err
	})
	return k, err
}

// Token implements store.AccountStore.
func (s *Store) Token(ctx context.Context, id int64) (*catalog.APIToken, error) {
	var k *catalog.APIToken
	err := s.read(ctx, fmt.Sprintf("token %d", id), func(t tx) (err error) {
		k, err = scanToken(t.queryRow(ctx, `SELECT `+tokenCols+` FROM api_tokens k JOIN accounts a ON a.id = k.account_id WHERE k.id = ?`, id))
		return err
	})
	return k, err
}

// ListTokens implements store.AccountStore.
func (s *Store) ListTokens(ctx context.Context, f store.TokenFilter) ([]catalog.APIToken, error) {
	var out []catalog.APIToken
	err := s.read(ctx, "list tokens", func(t tx) error {
		q := `SELECT ` + tokenCols + ` FROM api_tokens k JOIN accounts a ON a.id = k.account_id WHERE 1 = 1`
		var args []any
		if f.AccountID != 0 {
			q += ` AND k.account_id = ?`
			args = append(args, f.AccountID)
		}
		if !f.IncludeRevoked {
			q += ` AND k.revoked_at IS NULL`
		}
		rows, err := t.query(ctx, q+` ORDER BY k.created_at DESC, k.id DESC`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			k, err := scanToken(rows)
			if err != nil {
				return err
			}
			out = append(out, *k)
		}
		return rows.Err()
	})
	return out, err
}

// TouchToken implements store.AccountStore.
func (s *Store) TouchToken(ctx context.Context, id int64, at time.Time) error {
	return s.writeAccounts(ctx, fmt.Sprintf("touch token %d", id), func(t tx) error {
		return affected(t.exec(ctx, `UPDATE api_tokens SET last_used = ? WHERE id = ?`, encTime(at), id))
	})
}

// RevokeToken implements store.AccountStore.
func (s *Store) RevokeToken(ctx context.Context, id int64, at time.Time, by *catalog.AuditEntry) (*catalog.APIToken, error) {
	var before *catalog.APIToken
	err := s.writeAccounts(ctx, fmt.Sprintf("revoke token %d", id), func(t tx) error {
		var err error
		before, err = scanToken(t.queryRow(ctx, `SELECT `+tokenCols+` FROM api_tokens k JOIN accounts a ON a.id = k.account_id WHERE k.id = ?`, id))
		if err != nil {
			return err
		}
		if _, err = t.exec(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`, encTime(at), id); err != nil {
			return err
		}
		after, err := scanToken(t.queryRow(ctx, `SELECT `+tokenCols+` FROM api_tokens k JOIN accounts a ON a.id = k.account_id WHERE k.id = ?`, id))
		if err != nil {
			return err
		}
		return s.record(ctx, t, by, fmt.Sprintf("token:%d", id), before, after)
	})
	return before, err
}

// ReplaceMemberships implements store.AccountStore.
func (s *Store) ReplaceMemberships(ctx context.Context, source catalog.MembershipSource, ms []catalog.Membership, by *catalog.AuditEntry) error {
	if !source.Valid() {
		return fmt.Errorf("replace memberships: %w: unknown source %q", store.ErrInvalid, source)
	}
	rows := make([]catalog.Membership, 0, len(ms))
	seen := map[catalog.Membership]bool{}
	for _, m := range ms {
		m.Team, m.Email = clean(strings.TrimSpace(m.Team)), normEmail(m.Email)
		if m.Source != source {
			return fmt.Errorf("replace %s memberships: %w: a membership from %q", source, store.ErrInvalid, m.Source)
		}
		if m.Team == "" || m.Email == "" {
			return fmt.Errorf("replace %s memberships: %w: empty team or e-mail", source, store.ErrInvalid)
		}
		if !seen[m] {
			seen[m] = true
			rows = append(rows, m)
		}
	}
	return s.writeAccounts(ctx, "replace "+string(source)+" memberships", func(t tx) error {
		if _, err := t.exec(ctx, `DELETE FROM team_memberships WHERE source = ?`, string(source)); err != nil {
			return err
		}
		if err := t.insertRows(ctx, "team_memberships", []string{"team", "email", "source"}, len(rows), func(i int, args []any) []any {
			return append(args, rows[i].Team, rows[i].Email, string(source))
		}); err != nil {
			return err
		}
		return s.record(ctx, t, by, "memberships:"+string(source), nil, map[string]int{"memberships": len(rows)})
	})
}

// SetAccountMemberships implements store.AccountStore.
func (s *Store) SetAccountMemberships(ctx context.Context, email string, source catalog.MembershipSource, teams []string, by *catalog.AuditEntry) error {
	email = normEmail(email)
	if !source.Valid() || email == "" {
		return fmt.Errorf("set memberships of %q: %w: unknown source %q or empty e-mail", email, store.ErrInvalid, source)
	}
	var uniq []string
	seen := map[string]bool{}
	for _, tm := range teams {
		tm = clean(strings.TrimSpace(tm))
		if tm != "" && !seen[tm] {
			seen[tm] = true
			uniq = append(uniq, tm)
		}
	}
	return s.writeAccounts(ctx, "set memberships of "+email, func(t tx) error {
		if _, err := t.exec(ctx, `DELETE FROM team_memberships WHERE email = ? AND source = ?`, email, string(source)); err != nil {
			return err
		}
		if err := t.insertRows(ctx, "team_memberships", []string{"team", "email", "source"}, len(uniq), func(i int, args []any) []any {
			return append(args, uniq[i], email, string(source))
		}); err != nil {
			return err
		}
		return s.record(ctx, t, by, "account:"+email, nil, map[string][]string{"teams": uniq})
	})
}

// Memberships implements store.AccountStore.
func (s *Store) Memberships(ctx context.Context, email string) ([]catalog.Membership, error) {
	var out []catalog.Membership
	err := s.read(ctx, "memberships", func(t tx) error {
		q := `SELECT team, email, source FROM team_memberships`
		var args []any
		if email != "" {
			q += ` WHERE email = ?`
			args = append(args, normEmail(email))
		}
		rows, err := t.query(ctx, q+` ORDER BY team, email, source`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var m catalog.Membership
			var src string
			if err := rows.Scan(&m.Team, &m.Email, &src); err != nil {
				return err
			}
			m.Source = catalog.MembershipSource(src)
			out = append(out, m)
		}
		return rows.Err()
	})
	return out, err
}
