-- 0031_project_revision: a number that changes whenever a project's facts
-- are replaced (PostgreSQL). See the SQLite migration of the same number.

ALTER TABLE projects ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;
CREATE INDEX projects_revision ON projects (revision);
