-- 0027_tracker: issues of issue trackers (JIRA) and the links of their
-- projects to catalogue projects (PostgreSQL).
--
-- One row per (source, issue key); a sync upserts the issues that changed.
-- tracker_links say which catalogue projects a tracker project's issues
-- belong to (configuration, or a project's jira/project-key annotation).

CREATE TABLE tracker_issues (
    source          TEXT    COLLATE "C" NOT NULL,
    issue_key       TEXT    COLLATE "C" NOT NULL,
    issue_id        TEXT    COLLATE "C" NOT NULL DEFAULT '',
    tracker_project TEXT    COLLATE "C" NOT NULL,
    summary         TEXT    COLLATE "C" NOT NULL DEFAULT '',
    issue_type      TEXT    COLLATE "C" NOT NULL DEFAULT '',
    status          TEXT    COLLATE "C" NOT NULL DEFAULT '',
    status_category TEXT    COLLATE "C" NOT NULL DEFAULT '',
    priority        TEXT    COLLATE "C" NOT NULL DEFAULT '',
    assignee        TEXT    COLLATE "C" NOT NULL DEFAULT '',
    assignee_email  TEXT    COLLATE "C" NOT NULL DEFAULT '',
    reporter        TEXT    COLLATE "C" NOT NULL DEFAULT '',
    reporter_email  TEXT    COLLATE "C" NOT NULL DEFAULT '',
    labels          TEXT    COLLATE "C" NOT NULL DEFAULT '',
    url             TEXT    COLLATE "C" NOT NULL DEFAULT '',
    created         BIGINT ,
    updated         BIGINT ,
    resolved        BIGINT ,
    PRIMARY KEY (source, issue_key)
);

CREATE INDEX tracker_issues_project ON tracker_issues (tracker_project, updated);
CREATE INDEX tracker_issues_assignee ON tracker_issues (assignee_email, updated);

CREATE TABLE tracker_links (
    source          TEXT COLLATE "C" NOT NULL,
    tracker_project TEXT COLLATE "C" NOT NULL,
    project_key     TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (source, tracker_project, project_key)
);

CREATE INDEX tracker_links_project ON tracker_links (project_key);
