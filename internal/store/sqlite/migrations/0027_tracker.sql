-- 0027_tracker: issues of issue trackers (JIRA) and the links of their
-- projects to catalogue projects (SQLite).
--
-- One row per (source, issue key); a sync upserts the issues that changed.
-- tracker_links say which catalogue projects a tracker project's issues
-- belong to (configuration, or a project's jira/project-key annotation).

CREATE TABLE tracker_issues (
    source          TEXT    NOT NULL,
    issue_key       TEXT    NOT NULL,
    issue_id        TEXT    NOT NULL DEFAULT '',
    tracker_project TEXT    NOT NULL,
    summary         TEXT    NOT NULL DEFAULT '',
    issue_type      TEXT    NOT NULL DEFAULT '',
    status          TEXT    NOT NULL DEFAULT '',
    status_category TEXT    NOT NULL DEFAULT '',
    priority        TEXT    NOT NULL DEFAULT '',
    assignee        TEXT    NOT NULL DEFAULT '',
    assignee_email  TEXT    NOT NULL DEFAULT '',
    reporter        TEXT    NOT NULL DEFAULT '',
    reporter_email  TEXT    NOT NULL DEFAULT '',
    labels          TEXT    NOT NULL DEFAULT '',
    url             TEXT    NOT NULL DEFAULT '',
    created         INTEGER,
    updated         INTEGER,
    resolved        INTEGER,
    PRIMARY KEY (source, issue_key)
) STRICT;

CREATE INDEX tracker_issues_project ON tracker_issues (tracker_project, updated);
CREATE INDEX tracker_issues_assignee ON tracker_issues (assignee_email, updated);

CREATE TABLE tracker_links (
    source          TEXT NOT NULL,
    tracker_project TEXT NOT NULL,
    project_key     TEXT NOT NULL,
    PRIMARY KEY (source, tracker_project, project_key)
) STRICT;

CREATE INDEX tracker_links_project ON tracker_links (project_key);
