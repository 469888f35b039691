package sqldb

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/ospo-project/ospo/internal/catalog"
)

// insertReadme writes p.Readme, if any, for project id; ReplaceProject has
// emptied project_readmes for it. The text is stored cleaned like every
// other string (see clean).
func insertReadme(ctx context.Context, t tx, id int64, p *catalog.Project) error {
	r := p.Readme
	if r == nil {
		return nil
	}
	if _, err := t.exec(ctx, `INSERT INTO project_readmes (project_id, path, format, text, truncated)
		VALUES (?, ?, ?, ?, ?)`, id, clean(r.Path), clean(r.Format), clean(r.Text), r.Truncated); err != nil {
		return fmt.Errorf("insert readme: %w", err)
	}
	return nil
}

// loadReadmes reads the READMEs of the projects whose IDs in selects (with
// args). Only single-project reads call it: listings leave READMEs out.
func loadReadmes(ctx context.Context, t tx, in string, args []any, project func(int64) *catalog.Project) error {
	return eachRow(ctx, t, "readmes", `SELECT project_id, path, format, text, truncated FROM project_readmes
		WHERE project_id`+in, args, func(rows *sql.Rows) error {
		var id int64
		var r catalog.Readme
		if err := rows.Scan(&id, &r.Path, &r.Format, &r.Text, &r.Truncated); err != nil {
			return err
		}
		project(id).Readme = &r
		return nil
	})
}
