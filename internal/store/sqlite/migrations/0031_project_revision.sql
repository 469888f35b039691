-- 0031_project_revision: a number that changes whenever a project's facts
-- are replaced (SQLite).
--
-- ReplaceProject sets it to one more than the largest of any project, so
-- it grows with every replacement of the project (a touch, which keeps the
-- facts, leaves it). Readers that keep what they derived from a project
-- (the hub's recommendation inputs) re-read only the projects whose
-- revision moved. Existing projects start at 0.

ALTER TABLE projects ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
CREATE INDEX projects_revision ON projects (revision);
