package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store"
)

// UpsertBuilds implements store.SourceStore, in one transaction.
func (s *Store) UpsertBuilds(ctx context.Context, source string, builds []catalog.Build) error {
	for _, b := range builds {
		if b.Source != source || b.Source == "" || b.Job == "" || b.Number <= 0 {
			return fmt.Errorf("upsert build %s #%d of %q: source, job and a positive number are required: %w",
				b.Job, b.Number, b.Source, store.ErrInvalid)
		}
	}
	if len(builds) == 0 {
		return nil
	}
	return s.write(ctx, "upsert builds", func(t tx) error {
		for _, b := range builds {
			if _, err := t.exec(ctx, `INSERT INTO builds (source, job, number, result, building, started,
					duration_ns, url, revision, project_key)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (source, job, number) DO UPDATE SET result = excluded.result,
					building = excluded.building, started = excluded.started, duration_ns = excluded.duration_ns,
					url = excluded.url, revision = excluded.revision, project_key = excluded.project_key`,
				clean(b.Source), clean(b.Job), b.Number, clean(b.Result), b.Building, encTime(b.Started),
				int64(b.Duration), clean(b.URL), clean(b.Revision), clean(b.ProjectKey)); err != nil {
				return fmt.Errorf("build %s #%d: %w", b.Job, b.Number, err)
			}
		}
		return nil
	})
}

// Builds implements store.SourceStore.
func (s *Store) Builds(ctx context.Context, q catalog.BuildQuery) ([]catalog.Build, error) {
	var where []string
	var args []any
	for col, v := range map[string]string{"source": q.Source, "project_key": q.ProjectKey, "job": q.Job} {
		if v != "" {
			where, args = append(where, col+" = ?"), append(args, clean(v))
		}
	}
	if len(q.ProjectKeys) > 0 {
		marks := make([]string, len(q.ProjectKeys))
		for i, k := range q.ProjectKeys {
			marks[i], args = "?", append(args, clean(k))
		}
		where = append(where, "project_key IN ("+strings.Join(marks, ", ")+")")
	}
	if !q.Since.IsZero() {
		where, args = append(where, "started >= ?"), append(args, encTime(q.Since))
	}
	query := `SELECT source, job, number, result, building, started, duration_ns, url, revision, project_key FROM builds`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY started DESC, number DESC, job, source"
	if q.Limit > 0 {
		query += fmt.Sprintf(" LIMIT %d", q.Limit)
	}
	var out []catalog.Build
	err := s.readStatement(ctx, "builds", func(t tx) error {
		return eachRow(ctx, t, "builds", query, args, func(rows *sql.Rows) error {
			var b catalog.Build
			var started sql.NullInt64
			var dur int64
			if err := rows.Scan(&b.Source, &b.Job, &b.Number, &b.Result, &b.Building, &started, &dur, &b.URL,
				&b.Revision, &b.ProjectKey); err != nil {
				return err
			}
			b.Started, b.Duration = decTime(started), time.Duration(dur)
			out = append(out, b)
			return nil
		})
	})
	return out, err
}
