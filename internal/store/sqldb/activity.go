package sqldb

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/ospo-project/ospo/internal/catalog"
)

// Activity implements store.Store.
func (s *Store) Activity(ctx context.Context, projectIDs []int64) (map[int64][]catalog.Contribution, error) {
	out := map[int64][]catalog.Contribution{}
	if projectIDs != nil && len(projectIDs) == 0 {
		return out, nil
	}
	err := s.read(ctx, "activity", func(t tx) error {
		load := func(where string, args []any) error {
			err := eachRow(ctx, t, "contributions", `SELECT c.project_id, c.idx, c.name, c.email, c.commits,
					c.lines_added, c.lines_removed, c.first_commit, c.last_commit, COALESCE(i.person_id, '')
				FROM contributions c
				LEFT JOIN person_identities i ON i.name = c.name AND i.email = c.email`+where+`
				ORDER BY c.project_id, c.idx`, args, func(rows *sql.Rows) error {
				var id int64
				var idx int
				var c catalog.Contribution
				var first, last sql.NullInt64
				if err := rows.Scan(&id, &idx, &c.Name, &c.Email, &c.Commits, &c.LinesAdded, &c.LinesRemoved,
					&first, &last, &c.PersonID); err != nil {
					return err
				}
				if idx != len(out[id]) {
					return fmt.Errorf("contribution %d of project %d out of order", idx, id)
				}
				c.FirstCommit, c.LastCommit = decTime(first), decTime(last)
				out[id] = append(out[id], c)
				return nil
			})
			if err != nil {
				return err
			}
			wwhere := ""
			if where != "" {
				wwhere = " WHERE w.project_id" + where[len(" WHERE c.project_id"):]
			}
			return eachRow(ctx, t, "weekly activity", `SELECT w.project_id, w.idx, w.week, w.commits, w.lines_added,
					w.lines_removed FROM contribution_weeks w`+wwhere+` ORDER BY w.project_id, w.idx, w.week`, args,
				func(rows *sql.Rows) error {
					var id int64
					var idx int
					var week sql.NullInt64
					var w catalog.WeekActivity
					if err := rows.Scan(&id, &idx, &week, &w.Commits, &w.LinesAdded, &w.LinesRemoved); err != nil {
						return err
					}
					w.Week = decTime(week)
					cs := out[id]
					if idx < 0 || idx >= len(cs) {
						return fmt.Errorf("week of contributor %d of project %d, which has %d", idx, id, len(cs))
					}
					cs[idx].Weeks = append(cs[idx].Weeks, w)
					return nil
				})
		}
		if projectIDs == nil {
			return load("", nil)
		}
		ids := uniqueIDs(projectIDs)
		chunk := min(maxRowsPerInsert, t.d.MaxParams)
		for start := 0; start < len(ids); start += chunk {
			end := min(start+chunk, len(ids))
			args := make([]any, 0, end-start)
			for _, id := range ids[start:end] {
				args = append(args, id)
			}
			if err := load(" WHERE c.project_id IN "+inClause(end-start), args); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
