-- 0001_init: the first catalogue schema (SQLite).
--
-- Conventions shared with the PostgreSQL schema of the same version:
-- * times are Unix nanoseconds (UTC) in INTEGER columns; NULL is the zero time;
-- * *_fold columns hold the Go strings.ToLower of their neighbour, written by
--   the store, for case-insensitive lookups (SQLite's lower() folds ASCII only);
-- * search columns hold the folded text that ListProjects/ListPeople queries
--   match with LIKE;
-- * pos/idx columns keep the order facts were given in.
-- Tables are STRICT so that SQLite checks types as PostgreSQL does.

CREATE TABLE projects (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused
    key                TEXT    NOT NULL UNIQUE,
    name               TEXT    NOT NULL,
    name_fold          TEXT    NOT NULL,
    path               TEXT    NOT NULL,
    bare               INTEGER NOT NULL DEFAULT 0,
    remote_url         TEXT    NOT NULL DEFAULT '',
    default_branch     TEXT    NOT NULL DEFAULT '',
    head_commit        TEXT    NOT NULL DEFAULT '',
    head_date          INTEGER,
    description        TEXT    NOT NULL DEFAULT '',
    description_source TEXT    NOT NULL DEFAULT '',
    topics             TEXT    NOT NULL DEFAULT '[]', -- JSON array of strings
    lifecycle          TEXT    NOT NULL DEFAULT '',
    system             TEXT    NOT NULL DEFAULT '',
    kind               TEXT    NOT NULL DEFAULT '',
    commits            INTEGER NOT NULL DEFAULT 0,
    scanner_version    TEXT    NOT NULL DEFAULT '',
    config_hash        TEXT    NOT NULL DEFAULT '',
    scanned_at         INTEGER,
    scan_duration_ns   INTEGER NOT NULL DEFAULT 0,
    search             TEXT    NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX projects_name_fold ON projects (name_fold);
CREATE INDEX projects_path ON projects (path);
CREATE INDEX projects_order ON projects (name, key);

CREATE TABLE project_languages (
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    pos        INTEGER NOT NULL,
    name       TEXT    NOT NULL,
    name_fold  TEXT    NOT NULL,
    bytes      INTEGER NOT NULL,
    files      INTEGER NOT NULL,
    PRIMARY KEY (project_id, pos)
) STRICT;
CREATE INDEX project_languages_name ON project_languages (name_fold, project_id);

CREATE TABLE project_owners (
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    pos        INTEGER NOT NULL,
    owner      TEXT    NOT NULL,
    owner_fold TEXT    NOT NULL,
    source     TEXT    NOT NULL,
    path       TEXT    NOT NULL,
    pattern    TEXT    NOT NULL,
    PRIMARY KEY (project_id, pos)
) STRICT;
CREATE INDEX project_owners_owner ON project_owners (owner_fold, project_id);

CREATE TABLE project_files (
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    pos        INTEGER NOT NULL,
    kind       TEXT    NOT NULL,
    path       TEXT    NOT NULL,
    PRIMARY KEY (project_id, pos)
) STRICT;
CREATE INDEX project_files_kind ON project_files (kind, project_id);

CREATE TABLE project_problems (
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    pos        INTEGER NOT NULL,
    kind       TEXT    NOT NULL,
    path       TEXT    NOT NULL,
    message    TEXT    NOT NULL,
    PRIMARY KEY (project_id, pos)
) STRICT;

-- contributions: one row per identity per project; idx is the position in
-- Project.Contributors.
CREATE TABLE contributions (
    project_id    INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    idx           INTEGER NOT NULL,
    name          TEXT    NOT NULL,
    email         TEXT    NOT NULL,
    commits       INTEGER NOT NULL,
    lines_added   INTEGER NOT NULL,
    lines_removed INTEGER NOT NULL,
    first_commit  INTEGER,
    last_commit   INTEGER,
    PRIMARY KEY (project_id, idx)
) STRICT;
CREATE INDEX contributions_identity ON contributions (name, email);

CREATE TABLE contribution_weeks (
    project_id    INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    idx           INTEGER NOT NULL, -- contributions.idx
    week          INTEGER,          -- Monday 00:00 UTC
    commits       INTEGER NOT NULL,
    lines_added   INTEGER NOT NULL,
    lines_removed INTEGER NOT NULL
) STRICT;
CREATE INDEX contribution_weeks_contribution ON contribution_weeks (project_id, idx, week);

CREATE TABLE people (
    id         TEXT    PRIMARY KEY,
    name       TEXT    NOT NULL,
    name_fold  TEXT    NOT NULL,
    email      TEXT    NOT NULL,
    email_fold TEXT    NOT NULL,
    bot        INTEGER NOT NULL DEFAULT 0,
    search     TEXT    NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX people_name_fold ON people (name_fold);
CREATE INDEX people_email_fold ON people (email_fold);

-- person_identities: which person each (name, email) of contributions is.
CREATE TABLE person_identities (
    person_id  TEXT    NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    pos        INTEGER NOT NULL,
    name       TEXT    NOT NULL,
    email      TEXT    NOT NULL,
    name_fold  TEXT    NOT NULL,
    email_fold TEXT    NOT NULL,
    PRIMARY KEY (name, email)
) STRICT;
CREATE INDEX person_identities_person ON person_identities (person_id, pos);
CREATE INDEX person_identities_email_fold ON person_identities (email_fold);
CREATE INDEX person_identities_name_fold ON person_identities (name_fold);

CREATE TABLE project_history (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id  INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    scanned_at  INTEGER,
    head_commit TEXT    NOT NULL,
    summary     TEXT    NOT NULL -- JSON object
) STRICT;
CREATE INDEX project_history_project ON project_history (project_id, scanned_at);

CREATE TABLE scan_runs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at  INTEGER,
    finished_at INTEGER,
    roots       TEXT    NOT NULL DEFAULT '[]', -- JSON array of strings
    found       INTEGER NOT NULL DEFAULT 0,
    scanned     INTEGER NOT NULL DEFAULT 0,
    unchanged   INTEGER NOT NULL DEFAULT 0,
    failed      INTEGER NOT NULL DEFAULT 0,
    problems    INTEGER NOT NULL DEFAULT 0
) STRICT;
