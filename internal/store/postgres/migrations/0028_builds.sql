-- 0028_builds: runs of CI jobs (Jenkins), linked to catalogue projects by
-- the git remote they built (PostgreSQL).

CREATE TABLE builds (
    source      TEXT    COLLATE "C" NOT NULL,
    job         TEXT    COLLATE "C" NOT NULL,
    number      BIGINT  NOT NULL,
    result      TEXT    COLLATE "C" NOT NULL DEFAULT '',
    building    BOOLEAN NOT NULL DEFAULT FALSE,
    started     BIGINT,
    duration_ns BIGINT  NOT NULL DEFAULT 0,
    url         TEXT    COLLATE "C" NOT NULL DEFAULT '',
    revision    TEXT    COLLATE "C" NOT NULL DEFAULT '',
    project_key TEXT    COLLATE "C" NOT NULL DEFAULT '',
    PRIMARY KEY (source, job, number)
);

CREATE INDEX builds_project ON builds (project_key, started);
