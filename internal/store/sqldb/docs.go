package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/ospo-project/ospo/internal/catalog"
)

// insertDocs writes p.Docs for project id (the first of two pages with one
// name wins); ReplaceProject has emptied project_docs for it.
func insertDocs(ctx context.Context, t tx, id int64, p *catalog.Project) error {
	seen := map[string]bool{}
	var docs []catalog.DocPage
	for _, d := range p.Docs {
		if n := clean(d.Name); n != "" && !seen[n] {
			seen[n] = true
			docs = append(docs, d)
		}
	}
	return t.insertRows(ctx, "project_docs", []string{"project_id", "name", "title", "text"}, len(docs), func(i int, args []any) []any {
		d := docs[i]
		return append(args, id, clean(d.Name), clean(d.Title), strings.ToLower(clean(d.Text)))
	})
}

// SearchDocs implements store.ProjectStore.
func (s *Store) SearchDocs(ctx context.Context, query string, limit int) ([]catalog.DocHit, int, error) {
	q := strings.ToLower(strings.TrimSpace(clean(query)))
	if q == "" {
		return nil, 0, nil
	}
	pat := "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(q) + "%"
	var out []catalog.DocHit
	total := 0
	err := s.read(ctx, "search docs", func(t tx) error {
		// Title matches first, then by project name and page name.
		return eachRow(ctx, t, "docs", `SELECT d.project_id, p.name, d.name, d.title
			FROM project_docs d JOIN projects p ON p.id = d.project_id
			WHERE LOWER(d.title) LIKE ? ESCAPE '\' OR d.text LIKE ? ESCAPE '\'
			ORDER BY CASE WHEN LOWER(d.title) LIKE ? ESCAPE '\' THEN 0 ELSE 1 END, p.name, d.project_id, d.name`,
			[]any{pat, pat, pat}, func(rows *sql.Rows) error {
				total++
				if limit > 0 && len(out) >= limit {
					return nil
				}
				var h catalog.DocHit
				if err := rows.Scan(&h.ProjectID, &h.Project, &h.Name, &h.Title); err != nil {
					return err
				}
				out = append(out, h)
				return nil
			})
	})
	if err != nil {
		return nil, 0, fmt.Errorf("search docs for %q: %w", query, err)
	}
	return out, total, nil
}
