package sqldb

import (
	"context"
	"errors"
	"time"
)

// ClaimDigest implements store.DigestStore.
func (s *Store) ClaimDigest(ctx context.Context, team string, week time.Time, recipient string, at time.Time) (bool, error) {
	if team == "" || recipient == "" {
		return false, errors.New("claim digest: a team and a recipient are needed")
	}
	claimed := false
	err := s.writeAccounts(ctx, "claim digest", func(t tx) error {
		res, err := t.exec(ctx, `INSERT INTO health_digests (team, week, recipient, sent_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (team, week, recipient) DO NOTHING`, clean(team), week.UnixNano(), clean(recipient), at.UnixNano())
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		claimed = n == 1
		return err
	})
	return claimed, err
}

// ReleaseDigest implements store.DigestStore.
func (s *Store) ReleaseDigest(ctx context.Context, team string, week time.Time, recipient string) error {
	return s.writeAccounts(ctx, "release digest", func(t tx) error {
		_, err := t.exec(ctx, `DELETE FROM health_digests WHERE team = ? AND week = ? AND recipient = ?`,
			clean(team), week.UnixNano(), clean(recipient))
		return err
	})
}

// DigestRecipients implements store.DigestStore.
func (s *Store) DigestRecipients(ctx context.Context, team string, week time.Time) ([]string, error) {
	out := []string{}
	err := s.read(ctx, "digest recipients", func(t tx) error {
		rows, err := t.query(ctx, `SELECT recipient FROM health_digests WHERE team = ? AND week = ? ORDER BY recipient`,
			clean(team), week.UnixNano())
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r string
			if err := rows.Scan(&r); err != nil {
				return err
			}
			out = append(out, r)
		}
		return rows.Err()
	})
	return out, err
}
