-- 0028_builds: runs of CI jobs (Jenkins), linked to catalogue projects by
-- the git remote they built (SQLite).

CREATE TABLE builds (
    source      TEXT    NOT NULL,
    job         TEXT    NOT NULL,
    number      INTEGER NOT NULL,
    result      TEXT    NOT NULL DEFAULT '',
    building    INTEGER NOT NULL DEFAULT 0,
    started     INTEGER,
    duration_ns INTEGER NOT NULL DEFAULT 0,
    url         TEXT    NOT NULL DEFAULT '',
    revision    TEXT    NOT NULL DEFAULT '',
    project_key TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (source, job, number)
) STRICT;

CREATE INDEX builds_project ON builds (project_key, started);
