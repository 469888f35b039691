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
	err := s.writeAccounts(ctx, "append audit entry "+e.Action, func(t tx) error {
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

// auditPage is how many sequence numbers AuditEntries reads per query:
// ranges keep a long verification or export from holding one transaction
// open throughout.
const auditPage = 10000

// AuditEntries implements store.AuditStore. It reads the entries that
// exist when it starts, a page at a time, each page in its own read
// transaction. When sequence numbers run from 1 without gaps (an intact
// log), auditReaders ranges of them are read at once, ahead of the caller,
// and handed over in order, so reading keeps up with a caller that hashes
// every entry; otherwise pages are read one after the other. The entry it
// yields is only valid until the next iteration: a caller that keeps one
// copies it.
func (s *Store) AuditEntries(ctx context.Context) iter.Seq2[*catalog.AuditEntry, error] {
	return func(yield func(*catalog.AuditEntry, error) bool) {
		var n, last sql.NullInt64
		if err := s.read(ctx, "read audit entries", func(t tx) error {
			return t.queryRow(ctx, `SELECT COUNT(*), MAX(seq) FROM audit_log`).Scan(&n, &last)
		}); err != nil {
			yield(nil, err)
			return
		}
		if n.Int64 != last.Int64 {
			s.auditPages(ctx, yield)
			return
		}
		ctx, cancel := context.WithCancel(ctx)
		// order holds one channel per range, in range order; at most
		// auditReaders ranges are read ahead.
		order := make(chan chan auditResult, auditReaders)
		go func() {
			defer close(order)
			for lo := int64(0); lo < last.Int64; lo += auditPage {
				done := make(chan auditResult, 1)
				select {
				case order <- done:
				case <-ctx.Done():
					return
				}
				go func(lo int64) {
					page, err := s.auditPage(ctx, `seq > ? AND seq <= ? ORDER BY seq`, lo, lo+auditPage)
					done <- auditResult{page, err}
				}(lo)
			}
		}()
		defer func() {
			cancel()
			for done := range order { // let the readers finish
				<-done
			}
		}()
		for done := range order {
			r := <-done
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

type auditResult struct {
	page []catalog.AuditEntry
	err  error
}

// auditPages yields every entry, reading one page after the other by seq.
func (s *Store) auditPages(ctx context.Context, yield func(*catalog.AuditEntry, error) bool) {
	var after int64
	for {
		page, err := s.auditPage(ctx, `seq > ? ORDER BY seq LIMIT ?`, after, auditPage)
		if err != nil {
			yield(nil, err)
			return
		}
		for i := range page {
			if !yield(&page[i], nil) {
				return
			}
		}
		if len(page) < auditPage {
			return
		}
		after = page[len(page)-1].Seq
	}
}

// auditPage reads the entries matching the condition cond (which orders
// them) in one read transaction.
func (s *Store) auditPage(ctx context.Context, cond string, args ...any) ([]catalog.AuditEntry, error) {
	page := make([]catalog.AuditEntry, 0, auditPage)
	err := s.read(ctx, "read audit entries", func(t tx) error {
		rows, err := t.query(ctx, `SELECT `+auditCols+` FROM audit_log WHERE `+cond, args...)
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
	return page, err
}

// auditReaders is how many ranges of the audit log AuditEntries reads at once.
const auditReaders = 2
