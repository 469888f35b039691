package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store"
)

// UpsertTrackerIssues implements store.SourceStore, in one transaction.
func (s *Store) UpsertTrackerIssues(ctx context.Context, source string, issues []catalog.TrackerIssue) error {
	for _, is := range issues {
		if is.Source != source || is.Source == "" || is.Key == "" || is.Project == "" {
			return fmt.Errorf("upsert tracker issue %q of %q: source, key and project are required: %w", is.Key, is.Source, store.ErrInvalid)
		}
	}
	if len(issues) == 0 {
		return nil
	}
	return s.write(ctx, "upsert tracker issues", func(t tx) error {
		for _, is := range issues {
			if _, err := t.exec(ctx, `INSERT INTO tracker_issues (source, issue_key, issue_id, tracker_project,
					summary, issue_type, status, status_category, priority, assignee, assignee_email, reporter,
					reporter_email, labels, url, created, updated, resolved)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (source, issue_key) DO UPDATE SET issue_id = excluded.issue_id,
					tracker_project = excluded.tracker_project, summary = excluded.summary,
					issue_type = excluded.issue_type, status = excluded.status,
					status_category = excluded.status_category, priority = excluded.priority,
					assignee = excluded.assignee, assignee_email = excluded.assignee_email,
					reporter = excluded.reporter, reporter_email = excluded.reporter_email,
					labels = excluded.labels, url = excluded.url, created = excluded.created,
					updated = excluded.updated, resolved = excluded.resolved`,
				clean(is.Source), clean(is.Key), clean(is.ID), clean(is.Project), clean(is.Summary), clean(is.Type),
				clean(is.Status), clean(is.StatusCategory), clean(is.Priority), clean(is.Assignee),
				strings.ToLower(clean(is.AssigneeEmail)), clean(is.Reporter), strings.ToLower(clean(is.ReporterEmail)),
				encStrings(is.Labels), clean(is.URL), encTime(is.Created), encTime(is.Updated), encTime(is.Resolved),
			); err != nil {
				return fmt.Errorf("issue %s: %w", is.Key, err)
			}
		}
		return nil
	})
}

// ReplaceTrackerLinks implements store.SourceStore.
func (s *Store) ReplaceTrackerLinks(ctx context.Context, source string, links []catalog.TrackerLink) error {
	for _, l := range links {
		if l.Source != source || source == "" || l.Project == "" || l.ProjectKey == "" {
			return fmt.Errorf("tracker link %q → %q: source, tracker project and project key are required: %w",
				l.Project, l.ProjectKey, store.ErrInvalid)
		}
	}
	return s.write(ctx, "replace tracker links", func(t tx) error {
		if _, err := t.exec(ctx, `DELETE FROM tracker_links WHERE source = ?`, clean(source)); err != nil {
			return err
		}
		for _, l := range links {
			if _, err := t.exec(ctx, `INSERT INTO tracker_links (source, tracker_project, project_key)
				VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, clean(l.Source), clean(l.Project), clean(l.ProjectKey)); err != nil {
				return err
			}
		}
		return nil
	})
}

// TrackerLinks implements store.SourceStore.
func (s *Store) TrackerLinks(ctx context.Context, source string) ([]catalog.TrackerLink, error) {
	var out []catalog.TrackerLink
	err := s.read(ctx, "tracker links", func(t tx) error {
		return eachRow(ctx, t, "tracker links", `SELECT source, tracker_project, project_key FROM tracker_links
			WHERE ? = '' OR source = ? ORDER BY tracker_project, project_key, source`, []any{clean(source), clean(source)},
			func(rows *sql.Rows) error {
				var l catalog.TrackerLink
				if err := rows.Scan(&l.Source, &l.Project, &l.ProjectKey); err != nil {
					return err
				}
				out = append(out, l)
				return nil
			})
	})
	return out, err
}

// TrackerIssues implements store.SourceStore.
func (s *Store) TrackerIssues(ctx context.Context, q catalog.TrackerQuery) ([]catalog.TrackerIssue, error) {
	var where []string
	var args []any
	if q.Source != "" {
		where, args = append(where, "i.source = ?"), append(args, clean(q.Source))
	}
	if q.ProjectKey != "" {
		where = append(where, `EXISTS (SELECT 1 FROM tracker_links l WHERE l.source = i.source
			AND l.tracker_project = i.tracker_project AND l.project_key = ?)`)
		args = append(args, clean(q.ProjectKey))
	}
	if q.AssigneeEmail != "" {
		where, args = append(where, "i.assignee_email = ?"), append(args, strings.ToLower(clean(q.AssigneeEmail)))
	}
	if q.OpenOnly {
		where = append(where, "i.status_category <> 'done' AND i.resolved IS NULL")
	}
	query := `SELECT i.source, i.issue_key, i.issue_id, i.tracker_project, i.summary, i.issue_type, i.status,
		i.status_category, i.priority, i.assignee, i.assignee_email, i.reporter, i.reporter_email, i.labels,
		i.url, i.created, i.updated, i.resolved FROM tracker_issues i`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY i.updated DESC, i.source, i.issue_key"
	if q.Limit > 0 {
		query += fmt.Sprintf(" LIMIT %d", q.Limit)
	}
	var out []catalog.TrackerIssue
	err := s.readStatement(ctx, "tracker issues", func(t tx) error {
		return eachRow(ctx, t, "tracker issues", query, args, func(rows *sql.Rows) error {
			var is catalog.TrackerIssue
			var labels string
			var created, updated, resolved sql.NullInt64
			if err := rows.Scan(&is.Source, &is.Key, &is.ID, &is.Project, &is.Summary, &is.Type, &is.Status,
				&is.StatusCategory, &is.Priority, &is.Assignee, &is.AssigneeEmail, &is.Reporter, &is.ReporterEmail,
				&labels, &is.URL, &created, &updated, &resolved); err != nil {
				return err
			}
			var err error
			if is.Labels, err = decStrings(labels); err != nil {
				return err
			}
			is.Created, is.Updated, is.Resolved = decTime(created), decTime(updated), decTime(resolved)
			out = append(out, is)
			return nil
		})
	})
	return out, err
}
