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

// LastDigest implements store.InboxStore.
func (s *Store) LastDigest(ctx context.Context, email string) (time.Time, error) {
	var at time.Time
	err := s.read(ctx, "read last digest", func(t tx) error {
		var n sql.NullInt64
		err := t.queryRow(ctx, `SELECT sent_at FROM inbox_digests WHERE email = ?`, normEmail(email)).Scan(&n)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		at = decTime(n)
		return err
	})
	return at, err
}

// MarkDigestSent implements store.InboxStore.
func (s *Store) MarkDigestSent(ctx context.Context, email string, at time.Time) error {
	email = normEmail(email)
	if email == "" || at.IsZero() {
		return fmt.Errorf("mark digest sent: %w: empty e-mail or time", store.ErrInvalid)
	}
	return s.writeAccounts(ctx, "mark digest sent "+email, func(t tx) error {
		_, err := t.exec(ctx, `INSERT INTO inbox_digests (email, sent_at) VALUES (?, ?)
			ON CONFLICT (email) DO UPDATE SET sent_at = excluded.sent_at`, email, encTime(at))
		return err
	})
}
