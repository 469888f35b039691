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

const helpCols = `h.id, h.project_key, COALESCE(p.id, 0), COALESCE(p.name, ''), h.title, h.description, h.skills, h.size, h.ends_at,
	h.author, h.created_at, h.updated_at, h.closed`

const helpFrom = ` FROM help_posts h LEFT JOIN projects p ON p.key = h.project_key`

func scanHelp(row interface{ Scan(...any) error }) (catalog.HelpPost, error) {
	var h catalog.HelpPost
	var skills string
	var ends, created, updated, closed int64
	if err := row.Scan(&h.ID, &h.ProjectKey, &h.ProjectID, &h.Project, &h.Title, &h.Description, &skills, &h.Size, &ends,
		&h.Author, &created, &updated, &closed); err != nil {
		return h, err
	}
	if err := json.Unmarshal([]byte(skills), &h.Skills); err != nil {
		return h, fmt.Errorf("help post %d: skills: %w", h.ID, err)
	}
	h.EndsAt, h.CreatedAt, h.UpdatedAt = time.Unix(0, ends).UTC(), time.Unix(0, created).UTC(), time.Unix(0, updated).UTC()
	h.Closed = closed != 0
	return h, nil
}

// SaveHelpPost implements store.HelpStore.
func (s *Store) SaveHelpPost(ctx context.Context, h catalog.HelpPost, by *catalog.AuditEntry) (catalog.HelpPost, error) {
	if err := h.Validate(); err != nil {
		return h, catalog.Mark(err, store.ErrInvalid)
	}
	h.ProjectKey, h.Title, h.Description, h.Author = clean(h.ProjectKey), clean(h.Title), clean(h.Description), clean(h.Author)
	for i := range h.Skills {
		h.Skills[i] = clean(h.Skills[i])
	}
	now := time.Now().UTC()
	if h.UpdatedAt.IsZero() {
		h.UpdatedAt = now
	}
	skills, _ := json.Marshal(h.Skills) // strings: cannot fail
	err := s.writeAccounts(ctx, "save help post", func(t tx) error {
		var name string
		if err := t.queryRow(ctx, `SELECT id, name FROM projects WHERE key = ?`, h.ProjectKey).Scan(&h.ProjectID, &name); errors.Is(err, sql.ErrNoRows) {
			return catalog.Mark(fmt.Errorf("help post: no project %q in the catalogue", h.ProjectKey), store.ErrInvalid)
		} else if err != nil {
			return err
		}
		h.Project = name
		if h.ID == 0 {
			if h.CreatedAt.IsZero() {
				h.CreatedAt = now
			}
			if err := t.queryRow(ctx, `INSERT INTO help_posts (project_key, title, description, skills, size, ends_at, author,
					created_at, updated_at, closed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
				h.ProjectKey, h.Title, h.Description, string(skills), h.Size, h.EndsAt.UnixNano(), h.Author,
				h.CreatedAt.UnixNano(), h.UpdatedAt.UnixNano(), boolInt(h.Closed)).Scan(&h.ID); err != nil {
				return err
			}
			return s.record(ctx, t, by, fmt.Sprintf("help:%d", h.ID), nil, h)
		}
		before, err := scanHelp(t.queryRow(ctx, `SELECT `+helpCols+helpFrom+` WHERE h.id = ?`, h.ID))
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("help post %d: %w", h.ID, store.ErrNotFound)
		}
		if err != nil {
			return err
		}
		h.Author, h.CreatedAt = before.Author, before.CreatedAt
		if _, err := t.exec(ctx, `UPDATE help_posts SET project_key = ?, title = ?, description = ?, skills = ?, size = ?,
				ends_at = ?, updated_at = ?, closed = ? WHERE id = ?`,
			h.ProjectKey, h.Title, h.Description, string(skills), h.Size, h.EndsAt.UnixNano(), h.UpdatedAt.UnixNano(),
			boolInt(h.Closed), h.ID); err != nil {
			return err
		}
		return s.record(ctx, t, by, fmt.Sprintf("help:%d", h.ID), before, h)
	})
	return h, err
}

// HelpPost implements store.HelpStore.
func (s *Store) HelpPost(ctx context.Context, id int64) (*catalog.HelpPost, error) {
	var h catalog.HelpPost
	err := s.read(ctx, "help post", func(t tx) error {
		var err error
		h, err = scanHelp(t.queryRow(ctx, `SELECT `+helpCols+helpFrom+` WHERE h.id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("help post %d: %w", id, store.ErrNotFound)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return &h, nil
}

// HelpPosts implements store.HelpStore.
func (s *Store) HelpPosts(ctx context.Context, f store.HelpFilter) ([]catalog.HelpPost, error) {
	var where []string
	var args []any
	if f.ProjectKey != "" {
		where = append(where, `h.project_key = ?`)
		args = append(args, clean(f.ProjectKey))
	}
	if !f.OpenAt.IsZero() {
		// Open all of the end day (UTC): ends_at is before the start of
		// the day after, so the end day's start must be after OpenAt - 1 day.
		day := f.OpenAt.UTC().Truncate(24 * time.Hour)
		where = append(where, `h.closed = 0`, `h.ends_at >= ?`)
		args = append(args, day.UnixNano())
	}
	q := `SELECT ` + helpCols + helpFrom
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	q += ` ORDER BY h.ends_at, h.id`
	var out []catalog.HelpPost
	err := s.read(ctx, "help posts", func(t tx) error {
		return eachRow(ctx, t, "help posts", q, args, func(rows *sql.Rows) error {
			h, err := scanHelp(rows)
			if err != nil {
				return err
			}
			if f.OpenAt.IsZero() || h.Open(f.OpenAt) {
				out = append(out, h)
			}
			return nil
		})
	})
	return out, err
}
