-- 0036_tracker_projects: the issue-tracker (JIRA) project keys a
-- repository's catalog-info.yaml names in its jira/project-key annotation,
-- as encoded strings like topics.

ALTER TABLE projects ADD COLUMN tracker_projects TEXT NOT NULL DEFAULT '[]';
