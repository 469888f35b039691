package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store"
)

// EventCursor implements store.EventStore.
func (s *Store) EventCursor(ctx context.Context, projectKey string) (string, error) {
	var head string
	err := s.read(ctx, "event cursor", func(t tx) error {
		err := t.queryRow(ctx, `SELECT head FROM event_cursors WHERE project_key = ?`, clean(projectKey)).Scan(&head)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		return err
	})
	return head, err
}

// AddEvents implements store.EventStore.
func (s *Store) AddEvents(ctx context.Context, projectKey, cursor string, evs []catalog.Event) (int, error) {
	for _, e := range evs {
		if e.ID == "" || e.Kind == "" || e.Source == "" {
			return 0, fmt.Errorf("add events of %s: an event needs an id, a kind and a source: %w", projectKey, store.ErrInvalid)
		}
	}
	added := 0
	err := s.write(ctx, "add events", func(t tx) error {
		added = 0
		if cursor != "" {
			_, err := t.exec(ctx, `INSERT INTO event_cursors (project_key, head) VALUES (?, ?)
				ON CONFLICT (project_key) DO UPDATE SET head = excluded.head`, clean(projectKey), clean(cursor))
			if err != nil {
				return err
			}
		}
		if len(evs) == 0 {
			return nil
		}
		// The mark's row stays locked until the transaction ends, so that
		// transactions recording events commit in the order of their marks:
		// it is taken last, before one multi-row insert, to hold the lock
		// (and keep the scans of other workers waiting) as briefly as can be.
		mark, err := nextEventMark(ctx, t)
		if err != nil {
			return err
		}
		n, err := t.upsertRows(ctx, "events", eventCols, " ON CONFLICT (id) DO NOTHING", len(evs), func(i int, a []any) []any {
			e := &evs[i]
			return append(a, clean(e.ID), clean(e.Kind), clean(e.Source), clean(e.ProjectKey), fold(e.Email),
				e.At.UnixNano(), e.Points, clean(e.Summary), evidenceJSON(e.Evidence), mark)
		})
		added = int(n)
		return err
	})
	return added, err
}

// eventCols are the columns AddEvents writes.
var eventCols = []string{"id", "kind", "source", "project_key", "email", "at", "points", "summary", "evidence", "seq"}

// nextEventMark advances the event mark and returns it, for the events t
// records. On PostgreSQL the update locks the counter's row until t ends,
// so transactions that record events commit in the order of their marks:
// a reader that sees a mark has seen every lower one (see TallyEvents).
func nextEventMark(ctx context.Context, t tx) (int64, error) {
	var n int64
	if err := t.queryRow(ctx, `UPDATE event_marks SET n = n + 1 RETURNING n`).Scan(&n); err != nil {
		return 0, fmt.Errorf("advance the event mark: %w", err)
	}
	return n, nil
}

// TallyEvents implements store.EventStore.
func (s *Store) TallyEvents(ctx context.Context, mark int64) (store.TallyRead, error) {
	out := store.TallyRead{Mark: mark, PersonOf: map[string]string{}}
	err := s.read(ctx, "tally events", func(t tx) error {
		out.Events, out.Mark, out.People = nil, mark, nil
		clear(out.PersonOf)
		err := eachRow(ctx, t, "events", `SELECT id, source, project_key, email, at, points, seq FROM events WHERE seq > ?`,
			[]any{mark}, func(rows *sql.Rows) error {
				var e catalog.Event
				var at, seq int64
				if err := rows.Scan(&e.ID, &e.Source, &e.ProjectKey, &e.Email, &at, &e.Points, &seq); err != nil {
					return err
				}
				e.At = time.Unix(0, at).UTC()
				out.Events = append(out.Events, e)
				out.Mark = max(out.Mark, seq)
				return nil
			})
		if err != nil {
			return err
		}
		people := map[string]int{}
		err = eachRow(ctx, t, "people", `SELECT id, name, email FROM people WHERE bot = ? ORDER BY id`, []any{false},
			func(rows *sql.Rows) error {
				var p catalog.Person
				if err := rows.Scan(&p.ID, &p.Name, &p.Email); err != nil {
					return err
				}
				people[p.ID] = len(out.People)
				out.People = append(out.People, p)
				return nil
			})
		if err != nil {
			return err
		}
		return eachRow(ctx, t, "identities", `SELECT person_id, email, email_fold FROM person_identities ORDER BY person_id, pos`, nil,
			func(rows *sql.Rows) error {
				var id, email, folded string
				if err := rows.Scan(&id, &email, &folded); err != nil {
					return err
				}
				if p, ok := out.PersonOf[folded]; !ok || id < p {
					out.PersonOf[folded] = id
				}
				if i, ok := people[id]; ok {
					out.People[i].Identities = append(out.People[i].Identities, catalog.Identity{Email: email})
				}
				return nil
			})
	})
	return out, err
}

func evidenceJSON(ev []catalog.Evidence) string {
	if ev == nil {
		ev = []catalog.Evidence{}
	}
	out := make([]catalog.Evidence, len(ev))
	for i, e := range ev {
		out[i] = catalog.Evidence{Kind: clean(e.Kind), Value: clean(e.Value)}
	}
	b, _ := json.Marshal(out) // cannot fail
	return string(b)
}

// Events implements store.EventStore.
func (s *Store) Events(ctx context.Context, f store.EventFilter) ([]catalog.Event, error) {
	var where []string
	var args []any
	switch {
	case f.PersonID != "" && f.Email != "":
		// One IN over both, not "IN (...) OR e.email = ?": with the OR,
		// PostgreSQL scans every event (and JIT-compiles the plan its
		// estimate then calls expensive: seconds at 100,000 events).
		where = append(where, `e.email IN (SELECT email_fold FROM person_identities WHERE person_id = ? UNION SELECT CAST(? AS TEXT))`)
		args = append(args, clean(f.PersonID), fold(f.Email))
	case f.PersonID != "":
		where = append(where, `e.email IN (SELECT email_fold FROM person_identities WHERE person_id = ?)`)
		args = append(args, clean(f.PersonID))
	case f.Email != "":
		where = append(where, `e.email = ?`)
		args = append(args, fold(f.Email))
	}
	if f.ProjectKey != "" {
		where = append(where, `e.project_key = ?`)
		args = append(args, clean(f.ProjectKey))
	}
	if f.Kind != "" {
		where = append(where, `e.kind = ?`)
		args = append(args, clean(f.Kind))
	}
	q := `SELECT e.id, e.kind, e.source, e.project_key, e.email, e.at, e.points, e.summary, e.evidence,
			COALESCE((SELECT name FROM projects p WHERE p.key = e.project_key), ''),
			COALESCE((SELECT MIN(person_id) FROM person_identities pi WHERE pi.email_fold = e.email), '')
		FROM events e`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, ` AND `)
	}
	q += ` ORDER BY e.at DESC, e.id DESC`
	if f.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, f.Limit)
	}
	var out []catalog.Event
	err := s.readStatement(ctx, "events", func(t tx) error {
		return eachRow(ctx, t, "events", q, args, func(rows *sql.Rows) error {
			var e catalog.Event
			var at int64
			var ev string
			if err := rows.Scan(&e.ID, &e.Kind, &e.Source, &e.ProjectKey, &e.Email, &at, &e.Points, &e.Summary, &ev,
				&e.Project, &e.PersonID); err != nil {
				return err
			}
			e.At = time.Unix(0, at).UTC()
			if err := json.Unmarshal([]byte(ev), &e.Evidence); err != nil {
				return fmt.Errorf("event %s: evidence: %w", e.ID, err)
			}
			out = append(out, e)
			return nil
		})
	})
	// Oldest first.
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, err
}

const claimCols = `id, kind, badge, email, evidence, note, claimed_by, claimed_at, status, decided_by, decided_at, event_id`

func scanClaim(r scanner) (catalog.EventClaim, error) {
	var c catalog.EventClaim
	var claimed int64
	var decided sql.NullInt64
	err := r.Scan(&c.ID, &c.Kind, &c.Badge, &c.Email, &c.Evidence, &c.Note, &c.ClaimedBy, &claimed, &c.Status,
		&c.DecidedBy, &decided, &c.EventID)
	c.ClaimedAt, c.DecidedAt = time.Unix(0, claimed).UTC(), decTime(decided)
	return c, err
}

// AddClaim implements store.EventStore.
func (s *Store) AddClaim(ctx context.Context, c catalog.EventClaim, by *catalog.AuditEntry) (catalog.EventClaim, error) {
	c.Email, c.ClaimedBy = normEmail(c.Email), normEmail(c.ClaimedBy)
	c.Kind, c.Badge, c.Evidence, c.Note = clean(c.Kind), clean(c.Badge), clean(strings.TrimSpace(c.Evidence)), clean(c.Note)
	if c.Kind == "" || c.Email == "" || c.Evidence == "" || c.ClaimedBy == "" {
		return c, fmt.Errorf("add claim: kind, person, evidence and claimant are required: %w", store.ErrInvalid)
	}
	if c.ClaimedAt.IsZero() {
		c.ClaimedAt = time.Now().UTC()
	}
	c.Status, c.DecidedBy, c.DecidedAt, c.EventID = catalog.ClaimPending, "", time.Time{}, ""
	err := s.writeAccounts(ctx, "add claim", func(t tx) error {
		if err := t.queryRow(ctx, `INSERT INTO event_claims (kind, badge, email, evidence, note, claimed_by, claimed_at,
				status, decided_by, decided_at, event_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', NULL, '') RETURNING id`,
			c.Kind, c.Badge, c.Email, c.Evidence, c.Note, c.ClaimedBy, c.ClaimedAt.UnixNano(), c.Status).Scan(&c.ID); err != nil {
			return err
		}
		return s.record(ctx, t, by, fmt.Sprintf("claim:%d", c.ID), nil, c)
	})
	return c, err
}

// DecideClaim implements store.EventStore.
func (s *Store) DecideClaim(ctx context.Context, id int64, d store.ClaimDecision, by *catalog.AuditEntry) (catalog.EventClaim, error) {
	var c catalog.EventClaim
	err := s.write(ctx, "decide claim", func(t tx) error {
		var err error
		c, err = scanClaim(t.queryRow(ctx, `SELECT `+claimCols+` FROM event_claims WHERE id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("claim %d: %w", id, store.ErrNotFound)
		}
		if err != nil {
			return err
		}
		before := c
		if c.Status != catalog.ClaimPending {
			return fmt.Errorf("claim %d is %s: %w", id, c.Status, store.ErrDecided)
		}
		if normEmail(d.By) == "" || normEmail(d.By) == c.ClaimedBy {
			return fmt.Errorf("claim %d by %s: %w", id, c.ClaimedBy, store.ErrFourEyes)
		}
		c.Status, c.DecidedBy, c.DecidedAt = catalog.ClaimRejected, normEmail(d.By), time.Now().UTC()
		if d.Approve {
			c.Status = catalog.ClaimApproved
			e := d.Event(c)
			c.EventID = e.ID
			mark, err := nextEventMark(ctx, t)
			if err != nil {
				return err
			}
			if _, err := t.exec(ctx, `INSERT INTO events (id, kind, source, project_key, email, at, points, summary, evidence, seq)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
				clean(e.ID), clean(e.Kind), clean(e.Source), clean(e.ProjectKey), fold(e.Email),
				e.At.UnixNano(), e.Points, clean(e.Summary), evidenceJSON(e.Evidence), mark); err != nil {
				return fmt.Errorf("record the event of claim %d: %w", id, err)
			}
		}
		if _, err := t.exec(ctx, `UPDATE event_claims SET status = ?, decided_by = ?, decided_at = ?, event_id = ? WHERE id = ?`,
			c.Status, c.DecidedBy, c.DecidedAt.UnixNano(), c.EventID, id); err != nil {
			return err
		}
		return s.record(ctx, t, by, fmt.Sprintf("claim:%d", id), before, c)
	})
	return c, err
}

// Claims implements store.EventStore.
func (s *Store) Claims(ctx context.Context, status string) ([]catalog.EventClaim, error) {
	q := `SELECT ` + claimCols + ` FROM event_claims`
	var args []any
	if status != "" {
		q += ` WHERE status = ?`
		args = append(args, clean(status))
	}
	var out []catalog.EventClaim
	err := s.read(ctx, "claims", func(t tx) error {
		return eachRow(ctx, t, "claims", q+` ORDER BY id DESC`, args, func(rows *sql.Rows) error {
			c, err := scanClaim(rows)
			if err != nil {
				return err
			}
			out = append(out, c)
			return nil
		})
	})
	return out, err
}

// SetLeaderboardOptIn implements store.EventStore.
func (s *Store) SetLeaderboardOptIn(ctx context.Context, email string, in bool, by *catalog.AuditEntry) error {
	email = normEmail(email)
	if email == "" {
		return fmt.Errorf("leaderboard consent: empty e-mail: %w", store.ErrInvalid)
	}
	return s.writeAccounts(ctx, "leaderboard consent", func(t tx) error {
		var err error
		if in {
			_, err = t.exec(ctx, `INSERT INTO leaderboard_optins (email, opted_at) VALUES (?, ?)
				ON CONFLICT (email) DO NOTHING`, email, time.Now().UTC().UnixNano())
		} else {
			_, err = t.exec(ctx, `DELETE FROM leaderboard_optins WHERE email = ?`, email)
		}
		if err != nil {
			return err
		}
		return s.record(ctx, t, by, "leaderboard:"+email, nil, map[string]bool{"opted_in": in})
	})
}

// LeaderboardOptIns implements store.EventStore.
func (s *Store) LeaderboardOptIns(ctx context.Context) ([]string, error) {
	var out []string
	err := s.read(ctx, "leaderboard consent", func(t tx) error {
		return eachRow(ctx, t, "leaderboard consent", `SELECT email FROM leaderboard_optins ORDER BY email`, nil,
			func(rows *sql.Rows) error {
				var e string
				if err := rows.Scan(&e); err != nil {
					return err
				}
				out = append(out, e)
				return nil
			})
	})
	return out, err
}
