-- 0010_history_per_head: at most one history row and one scorecard per
-- project and HEAD commit.
--
-- Two scans running at once over one catalogue both saved every project, so
-- project_history and project_scores held two rows for one HEAD. A unique
-- index makes the rows per HEAD idempotent: ReplaceProject and AddScore
-- update the row of a HEAD already recorded. The duplicates already stored
-- are removed first, keeping the newest of each HEAD.

DELETE FROM project_history WHERE id NOT IN (
    SELECT MAX(id) FROM project_history GROUP BY project_id, head_commit);
CREATE UNIQUE INDEX project_history_head ON project_history (project_id, head_commit);
DELETE FROM project_scores WHERE id NOT IN (
    SELECT MAX(id) FROM project_scores GROUP BY project_id, head_commit);
CREATE UNIQUE INDEX project_scores_head ON project_scores (project_id, head_commit);
