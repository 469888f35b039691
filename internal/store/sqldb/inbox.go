package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store"
)

// SetInboxState implements store.InboxStore.
func (s *Store) SetInboxState(ctx context.Context, st catalog.InboxState, by *catalog.AuditEntry) (catalog.InboxState, error) {
	st.Email, st.Item, st.Fingerprint = normEmail(st.Email), clean(st.Item), clean(st.Fingerprint)
	switch {
	case st.Email == "":
		return st, fmt.Errorf("set inbox state: %w: empty e-mail", store.ErrInvalid)
	case st.Item == "":
		return st, fmt.Errorf("set inbox state: %w: empty item", store.ErrInvalid)
	case st.State != catalog.InboxSnoozed && st.State != catalog.InboxDone:
		return st, fmt.Errorf("set inbox state: %w: unknown state %q (want snoozed or done)", store.ErrInvalid, st.State)
	case st.State == catalog.InboxSnoozed && st.Until.IsZero():
		return st, fmt.Errorf("set inbox state: %w: a snooze needs an end time", store.ErrInvalid)
	}
	if st.State == catalog.InboxDone {
		st.Until = time.Time{}
	}
	if st.At.IsZero() {
		st.At = time.Now()
	}
	// As read back.
	st.At = decTime(sql.NullInt64{Int64: encTime(st.At).(int64), Valid: true})
	if !st.Until.IsZero() {
		st.Until = decTime(sql.NullInt64{Int64: encTime(st.Until).(int64), Valid: true})
	}
	err := s.writeAccounts(ctx, "set inbox state "+st.Item, func(t tx) error {
		before, err := inboxState(ctx, t, st.Email, st.Item)
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, `INSERT INTO inbox_states (email, item, state, fingerprint, until, at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (email, item) DO UPDATE SET state = excluded.state, fingerprint = excluded.fingerprint,
			until = excluded.until, at = excluded.at`,
			st.Email, st.Item, st.State, st.Fingerprint, encTime(st.Until), encTime(st.At)); err != nil {
			return err
		}
		var b any
		if before != nil {
			b = before
		}
		return s.record(ctx, t, by, "inbox:"+st.Email+":"+st.Item, b, st)
	})
	return st, err
}

// inboxState reads one state in t; nil when there is none.
func inboxState(ctx context.Context, t tx, email, item string) (*catalog.InboxState, error) {
	var st catalog.InboxState
	var until, at sql.NullInt64
	err := t.queryRow(ctx, `SELECT email, item, state, fingerprint, until, at FROM inbox_states WHERE email = ? AND item = ?`,
		email, item).Scan(&st.Email, &st.Item, &st.State, &st.Fingerprint, &until, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read inbox state: %w", err)
	}
	st.Until, st.At = decTime(until), decTime(at)
	return &st, nil
}

// DeleteInboxState implements store.InboxStore.
func (s *Store) DeleteInboxState(ctx context.Context, email, item string, by *catalog.AuditEntry) error {
	email, item = normEmail(email), clean(item)
	return s.writeAccounts(ctx, "reopen inbox item "+item, func(t tx) error {
		before, err := inboxState(ctx, t, email, item)
		if err != nil || before == nil {
			return err
		}
		if _, err := t.exec(ctx, `DELETE FROM inbox_states WHERE email = ? AND item = ?`, email, item); err != nil {
			return err
		}
		return s.record(ctx, t, by, "inbox:"+email+":"+item, before, nil)
	})
}

// InboxStates implements store.InboxStore.
func (s *Store) InboxStates(ctx context.Context, email string) ([]catalog.InboxState, error) {
	var out []catalog.InboxState
	err := s.read(ctx, "read inbox states", func(t tx) error {
		return eachRow(ctx, t, "inbox states", `SELECT email, item, state, fingerprint, until, at FROM inbox_states
			WHERE email = ? ORDER BY item`, []any{normEmail(email)}, func(rows *sql.Rows) error {
			var st catalog.InboxState
			var until, at sql.NullInt64
			if err := rows.Scan(&st.Email, &st.Item, &st.State, &st.Fingerprint, &until, &at); err != nil {
				return err
			}
			st.Until, st.At = decTime(until), decTime(at)
			out = append(out, st)
			return nil
		})
	})
	return out, err
}

func validDigest(d string) bool {
	return d == catalog.DigestOff || d == catalog.DigestDaily || d == catalog.DigestWeekly
}

// SetInboxPreferences implements store.InboxStore.
func (s *Store) SetInboxPreferences(ctx context.Context, p catalog.InboxPreferences, by *catalog.AuditEntry) (catalog.InboxPreferences, error) {
	p.Email, p.Webhook = normEmail(p.Email), clean(p.Webhook)
	if p.Digest == "" {
		p.Digest = catalog.DigestOff
	}
	switch {
	case p.Email == "":
		return p, fmt.Errorf("set inbox preferences: %w: empty e-mail", store.ErrInvalid)
	case !validDigest(p.Digest):
		return p, fmt.Errorf("set inbox preferences: %w: unknown digest %q (want off, daily or weekly)", store.ErrInvalid, p.Digest)
	}
	err := s.writeAccounts(ctx, "set inbox preferences "+p.Email, func(t tx) error {
		before, err := inboxPreferences(ctx, t, p.Email)
		if err != nil {
			return err
		}
		if p.LastDigest.IsZero() && before != nil {
			p.LastDigest = before.LastDigest
		}
		if _, err := t.exec(ctx, `INSERT INTO inbox_preferences (email, digest, by_email, webhook, last_digest) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (email) DO UPDATE SET digest = excluded.digest, by_email = excluded.by_email,
			webhook = excluded.webhook, last_digest = excluded.last_digest`,
			p.Email, p.Digest, boolInt(p.ByEmail), p.Webhook, encTime(p.LastDigest)); err != nil {
			return err
		}
		var b any
		if before != nil {
			b = before
		}
		return s.record(ctx, t, by, "inbox-preferences:"+p.Email, b, p)
	})
	if !p.LastDigest.IsZero() {
		p.LastDigest = decTime(sql.NullInt64{Int64: encTime(p.LastDigest).(int64), Valid: true})
	}
	return p, err
}

const preferenceCols = `email, digest, by_email, webhook, last_digest`

func scanPreferences(row interface{ Scan(...any) error }) (catalog.InboxPreferences, error) {
	var p catalog.InboxPreferences
	var byEmail int64
	var last sql.NullInt64
	err := row.Scan(&p.Email, &p.Digest, &byEmail, &p.Webhook, &last)
	p.ByEmail, p.LastDigest = byEmail != 0, decTime(last)
	return p, err
}

func inboxPreferences(ctx context.Context, t tx, email string) (*catalog.InboxPreferences, error) {
	p, err := scanPreferences(t.queryRow(ctx, `SELECT `+preferenceCols+` FROM inbox_preferences WHERE email = ?`, email))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read inbox preferences: %w", err)
	}
	return &p, nil
}

// InboxPreferences implements store.InboxStore.
func (s *Store) InboxPreferences(ctx context.Context, email string) (catalog.InboxPreferences, error) {
	email = normEmail(email)
	out := catalog.InboxPreferences{Email: email, Digest: catalog.DigestOff}
	err := s.read(ctx, "read inbox preferences", func(t tx) error {
		p, err := inboxPreferences(ctx, t, email)
		if p != nil {
			out = *p
		}
		return err
	})
	return out, err
}

// ListInboxPreferences implements store.InboxStore.
func (s *Store) ListInboxPreferences(ctx context.Context) ([]catalog.InboxPreferences, error) {
	var out []catalog.InboxPreferences
	err := s.read(ctx, "list inbox preferences", func(t tx) error {
		return eachRow(ctx, t, "inbox preferences", `SELECT `+preferenceCols+` FROM inbox_preferences
			WHERE digest <> 'off' ORDER BY email`, nil, func(rows *sql.Rows) error {
			p, err := scanPreferences(rows)
			out = append(out, p)
			return err
		})
	})
	return out, err
}

// MarkDigestSent implements store.InboxStore.
func (s *Store) MarkDigestSent(ctx context.Context, email string, at time.Time) error {
	email = normEmail(email)
	return s.writeAccounts(ctx, "mark digest sent "+email, func(t tx) error {
		res, err := t.exec(ctx, `UPDATE inbox_preferences SET last_digest = ? WHERE email = ?`, encTime(at), email)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return store.ErrNotFound
		}
		return nil
	})
}
