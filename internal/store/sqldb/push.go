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

const pushCols = `id, upstream, pusher, status, refs, commits, findings, pack_size, created_at,
	decided_by, decided_at, reason, attestations, forwarded_at, error`

// encJSON returns v as JSON text; v holds only strings and numbers, which
// cannot fail to encode.
func encJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// cleanPush returns p with every string cleaned (see clean).
func cleanPush(p catalog.Push) catalog.Push {
	p.Upstream, p.Pusher, p.DecidedBy, p.Reason, p.Error = clean(p.Upstream), fold(p.Pusher), fold(p.DecidedBy), clean(p.Reason), clean(p.Error)
	refs := make([]catalog.PushRef, len(p.Refs))
	for i, r := range p.Refs {
		refs[i] = catalog.PushRef{Ref: clean(r.Ref), Old: clean(r.Old), New: clean(r.New)}
	}
	p.Refs = refs
	commits := make([]catalog.PushCommit, len(p.Commits))
	for i, c := range p.Commits {
		commits[i] = catalog.PushCommit{SHA: clean(c.SHA), AuthorName: clean(c.AuthorName),
			AuthorEmail: clean(c.AuthorEmail), CommitterEmail: clean(c.CommitterEmail), Subject: clean(c.Subject)}
	}
	p.Commits = commits
	findings := make([]catalog.PushFinding, len(p.Findings))
	for i, f := range p.Findings {
		f.Check, f.Severity, f.Commit, f.Path, f.Rule, f.Message, f.Hash =
			clean(f.Check), clean(f.Severity), clean(f.Commit), clean(f.Path), clean(f.Rule), clean(f.Message), clean(f.Hash)
		findings[i] = f
	}
	p.Findings = findings
	atts := make([]string, len(p.Attestations))
	for i, a := range p.Attestations {
		atts[i] = clean(a)
	}
	p.Attestations = atts
	return p
}

func scanPush(r scanner) (*catalog.Push, error) {
	var p catalog.Push
	var status, refs, commits, findings, atts string
	var created int64
	var decided, forwarded sql.NullInt64
	if err := r.Scan(&p.ID, &p.Upstream, &p.Pusher, &status, &refs, &commits, &findings, &p.PackSize, &created,
		&p.DecidedBy, &decided, &p.Reason, &atts, &forwarded, &p.Error); err != nil {
		return nil, err
	}
	p.Status = catalog.PushStatus(status)
	p.CreatedAt = decTime(sql.NullInt64{Int64: created, Valid: true})
	p.DecidedAt, p.ForwardedAt = decTime(decided), decTime(forwarded)
	for _, f := range []struct {
		text string
		dst  any
	}{{refs, &p.Refs}, {commits, &p.Commits}, {findings, &p.Findings}, {atts, &p.Attestations}} {
		if err := json.Unmarshal([]byte(f.text), f.dst); err != nil {
			return nil, fmt.Errorf("push %d: %w", p.ID, err)
		}
	}
	if len(p.Commits) == 0 {
		p.Commits = nil
	}
	if len(p.Findings) == 0 {
		p.Findings = nil
	}
	if len(p.Attestations) == 0 {
		p.Attestations = nil
	}
	return &p, nil
}

// CreatePush implements store.PushStore.
func (s *Store) CreatePush(ctx context.Context, p catalog.Push, pack []byte, by *catalog.AuditEntry) (catalog.Push, error) {
	switch {
	case !p.Status.Valid():
		return p, fmt.Errorf("create push: %w: unknown status %q", store.ErrInvalid, p.Status)
	case strings.TrimSpace(p.Upstream) == "" || strings.TrimSpace(p.Pusher) == "":
		return p, fmt.Errorf("create push: %w: upstream and pusher are required", store.ErrInvalid)
	case (p.Status == catalog.PushHeld || p.Status == catalog.PushApproved) && pack == nil:
		return p, fmt.Errorf("create push: %w: a %s push needs its pack", store.ErrInvalid, p.Status)
	}
	if p.CreatedAt.IsZero() {
		p.CreatedAt = time.Now()
	}
	c := cleanPush(p)
	var out *catalog.Push
	err := s.writeAccounts(ctx, "create push", func(t tx) error {
		var id int64
		if err := t.queryRow(ctx, `INSERT INTO pushes (upstream, pusher, status, refs, commits, findings, pack_size,
				created_at, decided_by, decided_at, reason, attestations, forwarded_at, error)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			c.Upstream, c.Pusher, string(c.Status), encJSON(c.Refs), encJSON(c.Commits), encJSON(c.Findings), c.PackSize,
			encTime(c.CreatedAt), c.DecidedBy, encTime(c.DecidedAt), c.Reason, encJSON(c.Attestations),
			encTime(c.ForwardedAt), c.Error).Scan(&id); err != nil {
			return err
		}
		if c.Status == catalog.PushHeld || c.Status == catalog.PushApproved {
			if _, err := t.exec(ctx, `INSERT INTO push_packs (push_id, pack) VALUES (?, ?)`, id, pack); err != nil {
				return fmt.Errorf("store pack: %w", err)
			}
		}
		var err error
		if out, err = readPush(ctx, t, id); err != nil {
			return err
		}
		return s.record(ctx, t, by, pushObject(id), nil, out)
	})
	if err != nil {
		return p, err
	}
	return *out, nil
}

func pushObject(id int64) string { return fmt.Sprintf("push:%d", id) }

func readPush(ctx context.Context, t tx, id int64) (*catalog.Push, error) {
	p, err := scanPush(t.queryRow(ctx, `SELECT `+pushCols+` FROM pushes WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("push %d: %w", id, store.ErrNotFound)
	}
	return p, err
}

// Push implements store.PushStore.
func (s *Store) Push(ctx context.Context, id int64) (*catalog.Push, error) {
	var p *catalog.Push
	err := s.read(ctx, "push", func(t tx) error {
		var err error
		p, err = readPush(ctx, t, id)
		return err
	})
	return p, err
}

// ListPushes implements store.PushStore.
func (s *Store) ListPushes(ctx context.Context, f store.PushFilter) ([]catalog.Push, error) {
	q := `SELECT ` + pushCols + ` FROM pushes WHERE 1 = 1`
	var args []any
	if f.Status != "" {
		q += ` AND status = ?`
		args = append(args, string(f.Status))
	}
	if f.Upstream != "" {
		q += ` AND upstream = ?`
		args = append(args, clean(f.Upstream))
	}
	q += ` ORDER BY id DESC`
	if f.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, f.Limit)
	}
	var out []catalog.Push
	err := s.read(ctx, "pushes", func(t tx) error {
		return eachRow(ctx, t, "pushes", q, args, func(rows *sql.Rows) error {
			p, err := scanPush(rows)
			if err != nil {
				return err
			}
			out = append(out, *p)
			return nil
		})
	})
	return out, err
}

// PushPack implements store.PushStore.
func (s *Store) PushPack(ctx context.Context, id int64) ([]byte, error) {
	var pack []byte
	err := s.read(ctx, "push pack", func(t tx) error {
		err := t.queryRow(ctx, `SELECT pack FROM push_packs WHERE push_id = ?`, id).Scan(&pack)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("pack of push %d: %w", id, store.ErrNotFound)
		}
		return err
	})
	return pack, err
}

// DecidePush implements store.PushStore.
func (s *Store) DecidePush(ctx context.Context, id int64, d store.PushDecision, by *catalog.AuditEntry) (before, after *catalog.Push, err error) {
	if strings.TrimSpace(d.By) == "" {
		return nil, nil, fmt.Errorf("decide push %d: %w: the reviewer is required", id, store.ErrInvalid)
	}
	if d.At.IsZero() {
		d.At = time.Now()
	}
	status := catalog.PushRejected
	if d.Approve {
		status = catalog.PushApproved
	}
	atts := make([]string, len(d.Attestations))
	for i, a := range d.Attestations {
		atts[i] = clean(a)
	}
	err = s.writeAccounts(ctx, fmt.Sprintf("decide push %d", id), func(t tx) error {
		var err error
		if before, err = readPush(ctx, t, id); err != nil {
			return err
		}
		if before.Pusher == fold(d.By) {
			return fmt.Errorf("push %d: %w", id, store.ErrSelfApproval)
		}
		res, err := t.exec(ctx, `UPDATE pushes SET status = ?, decided_by = ?, decided_at = ?, reason = ?, attestations = ?
			WHERE id = ? AND status = ?`, string(status), fold(d.By), encTime(d.At), clean(d.Reason), encJSON(atts),
			id, string(catalog.PushHeld))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return fmt.Errorf("push %d is %s, not held: %w", id, before.Status, store.ErrPushState)
		}
		if !d.Approve {
			if _, err := t.exec(ctx, `DELETE FROM push_packs WHERE push_id = ?`, id); err != nil {
				return err
			}
		}
		if after, err = readPush(ctx, t, id); err != nil {
			return err
		}
		return s.record(ctx, t, by, pushObject(id), before, after)
	})
	if err != nil {
		return nil, nil, err
	}
	return before, after, nil
}

// ForwardedPush implements store.PushStore.
func (s *Store) ForwardedPush(ctx context.Context, id int64, at time.Time, by *catalog.AuditEntry) (*catalog.Push, error) {
	var after *catalog.Push
	err := s.writeAccounts(ctx, fmt.Sprintf("forwarded push %d", id), func(t tx) error {
		before, err := readPush(ctx, t, id)
		if err != nil {
			return err
		}
		res, err := t.exec(ctx, `UPDATE pushes SET status = ?, forwarded_at = ?, error = '' WHERE id = ? AND status = ?`,
			string(catalog.PushForwarded), encTime(at), id, string(catalog.PushApproved))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return fmt.Errorf("push %d is %s, not approved: %w", id, before.Status, store.ErrPushState)
		}
		if _, err := t.exec(ctx, `DELETE FROM push_packs WHERE push_id = ?`, id); err != nil {
			return err
		}
		if after, err = readPush(ctx, t, id); err != nil {
			return err
		}
		return s.record(ctx, t, by, pushObject(id), before, after)
	})
	return after, err
}

// PushForwardFailed implements store.PushStore.
func (s *Store) PushForwardFailed(ctx context.Context, id int64, msg string, final bool, by *catalog.AuditEntry) error {
	status := catalog.PushApproved
	if final {
		status = catalog.PushFailed
	}
	return s.writeAccounts(ctx, fmt.Sprintf("push %d forward failed", id), func(t tx) error {
		before, err := readPush(ctx, t, id)
		if err != nil {
			return err
		}
		res, err := t.exec(ctx, `UPDATE pushes SET status = ?, error = ? WHERE id = ? AND status = ?`,
			string(status), clean(msg), id, string(catalog.PushApproved))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return fmt.Errorf("push %d is %s, not approved: %w", id, before.Status, store.ErrPushState)
		}
		if final {
			if _, err := t.exec(ctx, `DELETE FROM push_packs WHERE push_id = ?`, id); err != nil {
				return err
			}
		}
		after, err := readPush(ctx, t, id)
		if err != nil {
			return err
		}
		return s.record(ctx, t, by, pushObject(id), before, after)
	})
}

// ExpirePushes implements store.PushStore.
func (s *Store) ExpirePushes(ctx context.Context, heldBefore, at time.Time, reason string, by *catalog.AuditEntry) ([]catalog.Push, error) {
	var out []catalog.Push
	err := s.writeAccounts(ctx, "expire pushes", func(t tx) error {
		out = nil
		var ids []int64
		if err := eachRow(ctx, t, "held pushes", `SELECT id FROM pushes WHERE status = ? AND created_at < ? ORDER BY id`,
			[]any{string(catalog.PushHeld), encTime(heldBefore)}, func(rows *sql.Rows) error {
				var id int64
				if err := rows.Scan(&id); err != nil {
					return err
				}
				ids = append(ids, id)
				return nil
			}); err != nil {
			return err
		}
		for _, id := range ids {
			before, err := readPush(ctx, t, id)
			if err != nil {
				return err
			}
			if _, err := t.exec(ctx, `UPDATE pushes SET status = ?, decided_at = ?, reason = ? WHERE id = ? AND status = ?`,
				string(catalog.PushExpired), encTime(at), clean(reason), id, string(catalog.PushHeld)); err != nil {
				return err
			}
			if _, err := t.exec(ctx, `DELETE FROM push_packs WHERE push_id = ?`, id); err != nil {
				return err
			}
			after, err := readPush(ctx, t, id)
			if err != nil {
				return err
			}
			if by != nil {
				e := *by
				if err := s.record(ctx, t, &e, pushObject(id), before, after); err != nil {
					return err
				}
			}
			out = append(out, *after)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if out == nil {
		out = []catalog.Push{}
	}
	return out, nil
}
