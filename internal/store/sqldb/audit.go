package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"strings"
	"time"

	"github.com/ospo-project/ospo/internal/audit"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store"
)

const auditCols = `seq, at, actor, person, source, address, action, object, before, after, prev_hash, hash`

// AppendAudit implements store.AuditStore. Appends are
// serialised by Dialect.AuditLock on PostgreSQL and by SQLite's single
// writer; the primary key on seq refuses a fork should they ever not be.
func (s *Store) AppendAudit(ctx context.Context, e catalog.AuditEntry) (catalog.AuditEntry, error) {
	if err := checkAudit(&e); err != nil {
		return e, fmt.Errorf("append audit entry: %w", err)
	}
	err := s.write(ctx, "append audit entry "+e.Action, func(t tx) error {
		return s.appendAudit(ctx, t, &e)
	})
	return e, err
}

// checkAudit refuses an entry without action, actor or time.
func checkAudit(e *catalog.AuditEntry) error {
	if e.Action == "" || e.Actor == "" || e.At.IsZero() {
		return fmt.Errorf("%w: an audit entry needs an action, an actor and a time", store.ErrInvalid)
	}
	return nil
}

// appendAudit appends e in t: it takes the audit lock, reads the last
// entry, numbers and seals e (after cleaning its text, so that the hash
// covers what is stored) and inserts it.
func (s *Store) appendAudit(ctx context.Context, t tx, e *catalog.AuditEntry) error {
	if err := checkAudit(e); err != nil {
		return err
	}
	e.At = time.Unix(0, e.At.UnixNano()).UTC()
	for _, f := range []*string{&e.Actor, &e.Person, &e.Source, &e.Address, &e.Action, &e.Object, &e.Before, &e.After} {
		*f = clean(*f)
	}
	if s.d.AuditLock != "" {
		if _, err := t.exec(ctx, s.d.AuditLock); err != nil {
			return fmt.Errorf("lock the audit log: %w", err)
		}
	}
	var last int64
	prev := audit.Genesis
	err := t.queryRow(ctx, `SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&last, &prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("read the last audit entry: %w", err)
	}
	e.Seq = last + 1
	audit.Seal(e, prev)
	if _, err := t.exec(ctx, `INSERT INTO audit_log (`+auditCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Seq, e.At.UnixNano(), e.Actor, e.Person, e.Source, e.Address, e.Action, e.Object, e.Before, e.After, e.PrevHash, e.Hash); err != nil {
		return fmt.Errorf("append audit entry: %w", err)
	}
	return nil
}

// record appends by, the audit entry of a change made in t, with its
// object and the JSON of the object before and after the change (nil for
// none); a nil by records nothing. by is updated to the entry as stored.
func (s *Store) record(ctx context.Context, t tx, by *catalog.AuditEntry, object string, before, after any) error {
	if by == nil {
		return nil
	}
	e := *by
	e.Object = object
	e.Before, e.After = jsonText(before), jsonText(after)
	if err := s.appendAudit(ctx, t, &e); err != nil {
		return err
	}
	*by = e
	return nil
}

// jsonText returns v as JSON, or "" for nil.
func jsonText(v any) string {
	if v == nil {
		return ""
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%q", fmt.Sprint(v))
	}
	return string(b)
}

func scanAudit(row interface{ Scan(...any) error }, e *catalog.AuditEntry) error {
	var at int64
	if err := row.Scan(&e.Seq, &at, &e.Actor, &e.Person, &e.Source, &e.Address, &e.Action, &e.Object, &e.Before, &e.After, &e.PrevHash, &e.Hash); err != nil {
		return err
	}
	e.At = time.Unix(0, at).UTC()
	return nil
}

// ListAudit implements store.AuditStore.
func (s *Store) ListAudit(ctx context.Context, f store.AuditFilter) ([]catalog.AuditEntry, error) {
	var where []string
	var args []any
	if !f.Since.IsZero() {
		where, args = append(where, `at >= ?`), append(args, encTime(f.Since))
	}
	if !f.Until.IsZero() {
		where, args = append(where, `at < ?`), append(args, encTime(f.Until))
	}
	if f.Actor != "" {
		where, args = append(where, `actor = ?`), append(args, clean(f.Actor))
	}
	if f.Object != "" {
		where, args = append(where, `object = ?`), append(args, clean(f.Object))
	}
	if f.Action != "" {
		if strings.HasSuffix(f.Action, ".") {
			where, args = append(where, `action LIKE ? ESCAPE '\'`), append(args, likePrefix(f.Action))
		} else {
			where, args = append(where, `action = ?`), append(args, clean(f.Action))
		}
	}
	if f.AfterSeq > 0 {
		where, args = append(where, `seq > ?`), append(args, f.AfterSeq)
	}
	if f.BeforeSeq > 0 {
		where, args = append(where, `seq < ?`), append(args, f.BeforeSeq)
	}
	q := `SELECT ` + auditCols + ` FROM audit_log`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, ` AND `)
	}
	if f.Newest {
		q += ` ORDER BY seq DESC`
	} else {
		q += ` ORDER BY seq`
	}
	if f.Limit > 0 {
		q += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	var out []catalog.AuditEntry
	err := s.read(ctx, "list audit entries", func(t tx) error {
		rows, err := t.query(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var e catalog.AuditEntry
			if err := scanAudit(rows, &e); err != nil {
				return err
			}
			out = append(out, e)
		}
		return rows.Err()
	})
	return out, err
}

// likePrefix returns a LIKE pattern (with ESCAPE '\') matching strings that
// start with p.
func likePrefix(p string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(clean(p)) + "%"
}

// auditPage is how many entries AuditEntries reads per query: pages keep a
// long verification or export from holding one transaction open throughout.
const auditPage = 10000

// AuditEntries implements store.AuditStore. It reads in pages of seq, each
// page in its own read transaction, and reads the next page while the
// caller works through the current one; the entry it yields is only valid
// until the next iteration, so a caller that keeps one copies it.
func (s *Store) AuditEntries(ctx context.Context) iter.Seq2[*catalog.AuditEntry, error] {
	return func(yield func(*catalog.AuditEntry, error) bool) {
		ctx, cancel := context.WithCancel(ctx)
		type result struct {
			page []catalog.AuditEntry
			err  error
		}
		pages := make(chan result, 1)
		go func() {
			defer close(pages)
			var after int64
			for {
				page := make([]catalog.AuditEntry, 0, auditPage)
				err := s.read(ctx, "read audit entries", func(t tx) error {
					rows, err := t.query(ctx, `SELECT `+auditCols+` FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?`, after, auditPage)
					if err != nil {
						return err
					}
					defer rows.Close()
					for rows.Next() {
						page = append(page, catalog.AuditEntry{})
						if err := scanAudit(rows, &page[len(page)-1]); err != nil {
							return err
						}
					}
					return rows.Err()
				})
				select {
				case pages <- result{page, err}:
				case <-ctx.Done():
					return
				}
				if err != nil || len(page) < auditPage {
					return
				}
				after = page[len(page)-1].Seq
			}
		}()
		defer func() {
			cancel()
			for range pages { // let the reader finish
			}
		}()
		for r := range pages {
			if r.err != nil {
				yield(nil, r.err)
				return
			}
			for i := range r.page {
				if !yield(&r.page[i], nil) {
					return
				}
			}
		}
	}
}
