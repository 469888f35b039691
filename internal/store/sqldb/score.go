package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store"
)

// AddScore implements store.ScoreStore.
func (s *Store) AddScore(ctx context.Context, sc catalog.Scorecard) error {
	return s.write(ctx, fmt.Sprintf("add score of project %d", sc.ProjectID), func(t tx) error {
		return addScore(ctx, t, sc)
	})
}

// addScore is AddScore's work in t.
func addScore(ctx context.Context, t tx, sc catalog.Scorecard) error {
	checks, err := json.Marshal(nonNilChecks(sc.Checks))
	if err != nil {
		return fmt.Errorf("encode checks: %w", err)
	}
	var n int
	if err := t.queryRow(ctx, `SELECT COUNT(*) FROM projects WHERE id = ?`, sc.ProjectID).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return store.ErrNotFound
	}
	_, err = t.exec(ctx, `INSERT INTO project_scores (project_id, scored_at, head_commit, aggregate, availability, checks)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (project_id, head_commit) DO UPDATE SET scored_at = excluded.scored_at,
			aggregate = excluded.aggregate, availability = excluded.availability, checks = excluded.checks`, sc.ProjectID, encTime(sc.ScoredAt), clean(sc.Commit), sc.Score, sc.Availability, string(checks))
	return err
}

func nonNilChecks(c []catalog.CheckScore) []catalog.CheckScore {
	if c == nil {
		return []catalog.CheckScore{}
	}
	return c
}

const scoreCols = `s.project_id, p.name, p.key, s.scored_at, s.head_commit, s.aggregate, s.availability, s.checks`

// LatestScores implements store.ScoreStore.
func (s *Store) LatestScores(ctx context.Context) ([]catalog.Scorecard, error) {
	var out []catalog.Scorecard
	err := s.read(ctx, "latest scores", func(t tx) error {
		rows, err := t.query(ctx, `SELECT `+scoreCols+`
			FROM project_scores s JOIN projects p ON p.id = s.project_id
			WHERE s.id = (SELECT s2.id FROM project_scores s2 WHERE s2.project_id = s.project_id
				ORDER BY s2.scored_at DESC, s2.id DESC LIMIT 1)
			ORDER BY p.name, p.key`)
		if err != nil {
			return err
		}
		out, err = scanScores(rows)
		return err
	})
	return out, err
}

// ScoreHistory implements store.ScoreStore.
func (s *Store) ScoreHistory(ctx context.Context, projectID int64, limit int) ([]catalog.Scorecard, error) {
	var out []catalog.Scorecard
	err := s.readStatement(ctx, fmt.Sprintf("score history of project %d", projectID), func(t tx) error {
		q := `SELECT ` + scoreCols + `
			FROM project_scores s JOIN projects p ON p.id = s.project_id
			WHERE s.project_id = ? ORDER BY s.scored_at DESC, s.id DESC`
		args := []any{projectID}
		if limit > 0 {
			q += ` LIMIT ?`
			args = append(args, limit)
		}
		rows, err := t.query(ctx, q, args...)
		if err != nil {
			return err
		}
		out, err = scanScores(rows)
		return err
	})
	return out, err
}

func scanScores(rows *sql.Rows) ([]catalog.Scorecard, error) {
	defer rows.Close()
	var out []catalog.Scorecard
	for rows.Next() {
		var sc catalog.Scorecard
		var at sql.NullInt64
		var checks string
		if err := rows.Scan(&sc.ProjectID, &sc.Project, &sc.Key, &at, &sc.Commit, &sc.Score, &sc.Availability, &checks); err != nil {
			return nil, err
		}
		sc.ScoredAt = decTime(at)
		if err := json.Unmarshal([]byte(checks), &sc.Checks); err != nil {
			return nil, fmt.Errorf("decode score checks: %w", err)
		}
		out = append(out, sc)
	}
	return out, rows.Err()
}

// RecentScores implements store.ScoreStore.
func (s *Store) RecentScores(ctx context.Context, projectIDs []int64, perProject int) (map[int64][]catalog.Scorecard, error) {
	ids := uniqueIDs(projectIDs)
	out := map[int64][]catalog.Scorecard{}
	if len(ids) == 0 || perProject <= 0 {
		return out, nil
	}
	err := s.read(ctx, fmt.Sprintf("recent scores of %d projects", len(ids)), func(t tx) error {
		chunk := min(maxRowsPerInsert, t.d.MaxParams-1)
		for start := 0; start < len(ids); start += chunk {
			end := min(start+chunk, len(ids))
			args := make([]any, 0, end-start+1)
			for _, id := range ids[start:end] {
				args = append(args, id)
			}
			args = append(args, perProject)
			rows, err := t.query(ctx, `SELECT project_id, name, key, scored_at, head_commit, aggregate, availability, checks FROM (
				SELECT `+scoreCols+`, ROW_NUMBER() OVER (PARTITION BY s.project_id ORDER BY s.scored_at DESC, s.id DESC) AS n
				FROM project_scores s JOIN projects p ON p.id = s.project_id
				WHERE s.project_id IN `+inClause(end-start)+`) r
				WHERE n <= ? ORDER BY project_id, n`, args...)
			if err != nil {
				return err
			}
			scs, err := scanScores(rows)
			if err != nil {
				return err
			}
			for _, sc := range scs {
				out[sc.ProjectID] = append(out[sc.ProjectID], sc)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
