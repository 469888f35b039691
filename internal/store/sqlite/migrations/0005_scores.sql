-- 0005_scores: project scorecards (SQLite).
--
-- One row per scoring of a project (each scan stores one), so trends can be
-- drawn; checks is the JSON array of catalog.CheckScore.

CREATE TABLE project_scores (
    id           INTEGER PRIMARY KEY,
    project_id   INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    scored_at    INTEGER NOT NULL,
    head_commit  TEXT    NOT NULL DEFAULT '',
    aggregate    REAL    NOT NULL,
    availability REAL    NOT NULL,
    checks       TEXT    NOT NULL DEFAULT '[]'
) STRICT;
CREATE INDEX project_scores_project ON project_scores (project_id, scored_at, id);
