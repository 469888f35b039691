package sqldb

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/governance"
	"github.com/ospo-project/ospo/internal/notify"
	"github.com/ospo-project/ospo/internal/store"
)

// checkRequest refuses a request the store cannot file.
func checkRequest(r *governance.Request) error {
	switch {
	case !r.Kind.Valid():
		return fmt.Errorf("unknown kind %q: %w", r.Kind, store.ErrInvalid)
	case !r.State.Valid():
		return fmt.Errorf("unknown state %q: %w", r.State, store.ErrInvalid)
	case strings.TrimSpace(r.Subject) == "" || strings.TrimSpace(r.Requester) == "":
		return fmt.Errorf("a request needs a subject and a requester: %w", store.ErrInvalid)
	case r.CreatedAt.IsZero():
		return fmt.Errorf("a request needs a creation time: %w", store.ErrInvalid)
	}
	return nil
}

// requestData is the JSON stored in requests.data: the request with its
// strings cleaned, so that what is read back is what both backends hold.
func requestData(r *governance.Request) (string, error) {
	return cleanJSON(r)
}

// cleanJSON returns v as JSON whose every string is cleaned (see clean):
// the encoder writes a NUL as \u0000, which clean on the text would miss.
func cleanJSON(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("encode: %w", err)
	}
	var generic any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&generic); err != nil {
		return "", fmt.Errorf("encode: %w", err)
	}
	b, err = json.Marshal(cleanValue(generic))
	if err != nil {
		return "", fmt.Errorf("encode: %w", err)
	}
	return string(b), nil
}

func cleanValue(v any) any {
	switch x := v.(type) {
	case string:
		return clean(x)
	case []any:
		for i := range x {
			x[i] = cleanValue(x[i])
		}
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[clean(k)] = cleanValue(e)
		}
		return out
	}
	return v
}

// CreateRequest implements store.GovernanceStore.
func (s *Store) CreateRequest(ctx context.Context, r governance.Request, by *catalog.AuditEntry) (governance.Request, error) {
	if err := checkRequest(&r); err != nil {
		return r, fmt.Errorf("create request: %w", err)
	}
	r.Requester = governance.NormalizeEmail(r.Requester)
	r.Version = 1
	err := s.writeAccounts(ctx, "create request", func(t tx) error {
		r.ID = 0
		data, err := requestData(&r)
		if err != nil {
			return err
		}
		if err := t.queryRow(ctx, `INSERT INTO requests (kind, subject, requester, state, version, created_at, updated_at, expires_at, data)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			string(r.Kind), clean(r.Subject), clean(r.Requester), string(r.State), r.Version,
			encTime(r.CreatedAt), encTime(r.UpdatedAt), encTime(r.Expires), data).Scan(&r.ID); err != nil {
			return err
		}
		if data, err = requestData(&r); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `UPDATE requests SET data = ? WHERE id = ?`, data, r.ID); err != nil {
			return err
		}
		return s.record(ctx, t, by, "request:"+strconv.FormatInt(r.ID, 10), nil, &r)
	})
	if err != nil {
		return r, err
	}
	return decodeRequest(r.ID, r.Version, mustData(&r))
}

func mustData(r *governance.Request) string {
	d, _ := requestData(r) // a request always encodes
	return d
}

func decodeRequest(id, version int64, data string) (governance.Request, error) {
	var r governance.Request
	if err := json.Unmarshal([]byte(data), &r); err != nil {
		return r, fmt.Errorf("request %d: decode: %w", id, err)
	}
	r.ID, r.Version = id, version
	return r, nil
}

// Request implements store.GovernanceStore.
func (s *Store) Request(ctx context.Context, id int64) (*governance.Request, error) {
	var r governance.Request
	err := s.read(ctx, "request", func(t tx) error {
		var err error
		r, err = readRequest(ctx, t, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &r, nil
}

func readRequest(ctx context.Context, t tx, id int64) (governance.Request, error) {
	var version int64
	var data string
	err := t.queryRow(ctx, `SELECT version, data FROM requests WHERE id = ?`, id).Scan(&version, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return governance.Request{}, fmt.Errorf("request %d: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return governance.Request{}, err
	}
	return decodeRequest(id, version, data)
}

// ListRequests implements store.GovernanceStore.
func (s *Store) ListRequests(ctx context.Context, f governance.RequestFilter) ([]governance.Request, error) {
	var where []string
	var args []any
	if f.Kind != "" {
		where, args = append(where, `kind = ?`), append(args, clean(string(f.Kind)))
	}
	if f.State != "" {
		where, args = append(where, `state = ?`), append(args, clean(string(f.State)))
	}
	if f.Requester != "" {
		where, args = append(where, `requester = ?`), append(args, clean(governance.NormalizeEmail(f.Requester)))
	}
	if f.Subject != "" {
		where, args = append(where, `subject = ?`), append(args, clean(f.Subject))
	}
	q := `SELECT id, version, data FROM requests`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, ` AND `)
	}
	q += ` ORDER BY id DESC`
	if f.Limit > 0 {
		q += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	var out []governance.Request
	err := s.read(ctx, "list requests", func(t tx) error {
		return eachRow(ctx, t, "requests", q, args, func(rows *sql.Rows) error {
			var id, version int64
			var data string
			if err := rows.Scan(&id, &version, &data); err != nil {
				return err
			}
			r, err := decodeRequest(id, version, data)
			if err != nil {
				return err
			}
			out = append(out, r)
			return nil
		})
	})
	return out, err
}

// UpdateRequest implements store.GovernanceStore. The compare-and-set on
// version makes concurrent updates from one version resolve to one.
func (s *Store) UpdateRequest(ctx context.Context, r governance.Request, by *catalog.AuditEntry) (governance.Request, error) {
	if err := checkRequest(&r); err != nil {
		return r, fmt.Errorf("update request %d: %w", r.ID, err)
	}
	from := r.Version
	r.Version = from + 1
	r.Requester = governance.NormalizeEmail(r.Requester)
	data, err := requestData(&r)
	if err != nil {
		return r, err
	}
	err = s.writeAccounts(ctx, "update request", func(t tx) error {
		before, err := readRequest(ctx, t, r.ID)
		if err != nil {
			return err
		}
		res, err := t.exec(ctx, `UPDATE requests SET kind = ?, subject = ?, requester = ?, state = ?, version = ?,
				updated_at = ?, expires_at = ?, data = ?
			WHERE id = ? AND version = ?`,
			string(r.Kind), clean(r.Subject), clean(r.Requester), string(r.State), r.Version,
			encTime(r.UpdatedAt), encTime(r.Expires), data, r.ID, from)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return fmt.Errorf("request %d is at version %d, not %d: %w", r.ID, before.Version, from, store.ErrStale)
		}
		return s.record(ctx, t, by, "request:"+strconv.FormatInt(r.ID, 10), summary(&before), summary(&r))
	})
	if err != nil {
		return r, err
	}
	return decodeRequest(r.ID, r.Version, data)
}

// summary is what the audit log records of a request: its state and
// approvals and its last event, not the whole checklist each time.
func summary(r *governance.Request) any {
	var last *governance.Event
	if n := len(r.Events); n > 0 {
		last = &r.Events[n-1]
	}
	return struct {
		ID        int64                 `json:"id"`
		Kind      governance.Kind       `json:"kind"`
		State     governance.State      `json:"state"`
		Version   int64                 `json:"version"`
		Commit    string                `json:"commit,omitempty"`
		Approvals []governance.Approval `json:"approvals"`
		Last      *governance.Event     `json:"last_event,omitempty"`
	}{r.ID, r.Kind, r.State, r.Version, r.Commit, r.Approvals, last}
}

// SaveExternalProject implements store.GovernanceStore.
func (s *Store) SaveExternalProject(ctx context.Context, p governance.ExternalProject, by *catalog.AuditEntry) (governance.ExternalProject, error) {
	p.Name = strings.TrimSpace(p.Name)
	if p.Name == "" || !p.Lifecycle.Valid() {
		return p, fmt.Errorf("save external project %q: a name and a known lifecycle are needed: %w", p.Name, store.ErrInvalid)
	}
	for i, o := range p.Owners {
		p.Owners[i] = governance.NormalizeEmail(o)
	}
	err := s.writeAccounts(ctx, "save external project", func(t tx) error {
		var taken int
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM external_projects WHERE name = ? AND id <> ?`, fold(p.Name), p.ID).Scan(&taken); err != nil {
			return err
		}
		if taken > 0 {
			return fmt.Errorf("external project %q: %w", p.Name, store.ErrExists)
		}
		var before *governance.ExternalProject
		if p.ID == 0 {
			p.Version = 1
			data, _ := cleanJSON(p)
			if err := t.queryRow(ctx, `INSERT INTO external_projects (name, lifecycle, review_due, version, data)
				VALUES (?, ?, ?, ?, ?) RETURNING id`, fold(p.Name), string(p.Lifecycle), encTime(p.ReviewDue), p.Version,
				data).Scan(&p.ID); err != nil {
				return err
			}
		} else {
			old, err := readExternal(ctx, t, `id = ?`, p.ID)
			if err != nil {
				return err
			}
			before = &old
			from := p.Version
			p.Version = from + 1
			data, _ := cleanJSON(p)
			res, err := t.exec(ctx, `UPDATE external_projects SET name = ?, lifecycle = ?, review_due = ?, version = ?, data = ?
				WHERE id = ? AND version = ?`, fold(p.Name), string(p.Lifecycle), encTime(p.ReviewDue), p.Version,
				data, p.ID, from)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return fmt.Errorf("external project %d is at version %d, not %d: %w", p.ID, old.Version, from, store.ErrStale)
			}
		}
		data, _ := cleanJSON(p)
		if _, err := t.exec(ctx, `UPDATE external_projects SET data = ? WHERE id = ?`, data, p.ID); err != nil {
			return err
		}
		var b any
		if before != nil {
			b = before
		}
		return s.record(ctx, t, by, "estate:"+p.Name, b, &p)
	})
	if err != nil {
		return p, err
	}
	return s.externalByID(ctx, p.ID)
}

func (s *Store) externalByID(ctx context.Context, id int64) (governance.ExternalProject, error) {
	var p governance.ExternalProject
	err := s.read(ctx, "external project", func(t tx) error {
		var err error
		p, err = readExternal(ctx, t, `id = ?`, id)
		return err
	})
	return p, err
}

func readExternal(ctx context.Context, t tx, where string, arg any) (governance.ExternalProject, error) {
	var p governance.ExternalProject
	var id, version int64
	var data string
	err := t.queryRow(ctx, `SELECT id, version, data FROM external_projects WHERE `+where, arg).Scan(&id, &version, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return p, fmt.Errorf("external project %v: %w", arg, store.ErrNotFound)
	}
	if err != nil {
		return p, err
	}
	if err := json.Unmarshal([]byte(data), &p); err != nil {
		return p, fmt.Errorf("external project %d: decode: %w", id, err)
	}
	p.ID, p.Version = id, version
	return p, nil
}

// ExternalProjects implements store.GovernanceStore.
func (s *Store) ExternalProjects(ctx context.Context) ([]governance.ExternalProject, error) {
	var out []governance.ExternalProject
	err := s.read(ctx, "external projects", func(t tx) error {
		return eachRow(ctx, t, "external projects", `SELECT id, version, data FROM external_projects ORDER BY name, id`, nil,
			func(rows *sql.Rows) error {
				var p governance.ExternalProject
				var id, version int64
				var data string
				if err := rows.Scan(&id, &version, &data); err != nil {
					return err
				}
				if err := json.Unmarshal([]byte(data), &p); err != nil {
					return fmt.Errorf("external project %d: decode: %w", id, err)
				}
				p.ID, p.Version = id, version
				out = append(out, p)
				return nil
			})
	})
	return out, err
}

// ExternalProject implements store.GovernanceStore.
func (s *Store) ExternalProject(ctx context.Context, ref string) (*governance.ExternalProject, error) {
	var p governance.ExternalProject
	err := s.read(ctx, "external project", func(t tx) error {
		var err error
		if id, perr := strconv.ParseInt(ref, 10, 64); perr == nil {
			p, err = readExternal(ctx, t, `id = ?`, id)
			if !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
		p, err = readExternal(ctx, t, `name = ?`, fold(strings.TrimSpace(ref)))
		return err
	})
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// NotifyPreferences implements store.GovernanceStore.
func (s *Store) NotifyPreferences(ctx context.Context, email string) (notify.Preferences, error) {
	var p notify.Preferences
	err := s.read(ctx, "notification preferences", func(t tx) error {
		var data string
		err := t.queryRow(ctx, `SELECT data FROM notify_prefs WHERE email = ?`, fold(strings.TrimSpace(email))).Scan(&data)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		return json.Unmarshal([]byte(data), &p)
	})
	return p, err
}

// SetNotifyPreferences implements store.GovernanceStore.
func (s *Store) SetNotifyPreferences(ctx context.Context, email string, p notify.Preferences, by *catalog.AuditEntry) error {
	email = fold(strings.TrimSpace(email))
	if email == "" {
		return fmt.Errorf("set notification preferences: an e-mail is needed: %w", store.ErrInvalid)
	}
	data, _ := cleanJSON(p)
	return s.writeAccounts(ctx, "set notification preferences", func(t tx) error {
		if _, err := t.exec(ctx, `INSERT INTO notify_prefs (email, data) VALUES (?, ?)
			ON CONFLICT (email) DO UPDATE SET data = excluded.data`, email, data); err != nil {
			return err
		}
		// The webhook URL may carry a secret (Slack's are capabilities): the
		// audit log records that one is set, not where.
		redacted := p
		if redacted.Webhook != "" {
			redacted.Webhook = "(set)"
		}
		return s.record(ctx, t, by, "notify:"+email, nil, redacted)
	})
}
