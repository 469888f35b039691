-- 0011_sources: what configured sources (GitHub, Backstage …) bring, and
-- where each one's sync stands (SQLite).
--
-- source_states holds catalog.SourceState, one row a source; cursor is a JSON
-- object (ETags, pagination cursors). It never holds a secret.
-- forge_repos holds catalog.ForgeRepo by (source, forge id), so a renamed or
-- transferred repository stays one row; project_key links it to the scanned
-- project. forge_items holds its pull requests, issues and releases
-- (labels and reviews as JSON arrays). entities holds imported Backstage
-- entities by (source, ref). Times are Unix nanoseconds.

CREATE TABLE source_states (
    name           TEXT    PRIMARY KEY,
    kind           TEXT    NOT NULL,
    status         TEXT    NOT NULL DEFAULT '',
    last_attempt   INTEGER,
    last_success   INTEGER,
    last_error     TEXT    NOT NULL DEFAULT '',
    cursor         TEXT    NOT NULL DEFAULT '{}',
    rate_limit     INTEGER NOT NULL DEFAULT 0,
    rate_remaining INTEGER NOT NULL DEFAULT 0,
    rate_reset     INTEGER,
    requests       INTEGER NOT NULL DEFAULT 0,
    not_modified   INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE forge_repos (
    id             INTEGER PRIMARY KEY,
    source         TEXT    NOT NULL,
    forge_id       INTEGER NOT NULL,
    project_key    TEXT    NOT NULL,
    full_name      TEXT    NOT NULL,
    url            TEXT    NOT NULL DEFAULT '',
    clone_url      TEXT    NOT NULL DEFAULT '',
    description    TEXT    NOT NULL DEFAULT '',
    topics         TEXT    NOT NULL DEFAULT '[]',
    visibility     TEXT    NOT NULL DEFAULT '',
    archived       INTEGER NOT NULL DEFAULT 0,
    fork           INTEGER NOT NULL DEFAULT 0,
    stars          INTEGER NOT NULL DEFAULT 0,
    forks          INTEGER NOT NULL DEFAULT 0,
    watchers       INTEGER NOT NULL DEFAULT 0,
    open_issues    INTEGER NOT NULL DEFAULT 0,
    default_branch TEXT    NOT NULL DEFAULT '',
    license        TEXT    NOT NULL DEFAULT '',
    pushed_at      INTEGER,
    updated_at     INTEGER,
    synced_at      INTEGER,
    UNIQUE (source, forge_id)
) STRICT;
CREATE INDEX forge_repos_project ON forge_repos (project_key);

CREATE TABLE forge_items (
    repo_id           INTEGER NOT NULL REFERENCES forge_repos (id) ON DELETE CASCADE,
    kind              TEXT    NOT NULL,
    number            INTEGER NOT NULL,
    title             TEXT    NOT NULL DEFAULT '',
    state             TEXT    NOT NULL DEFAULT '',
    author            TEXT    NOT NULL DEFAULT '',
    url               TEXT    NOT NULL DEFAULT '',
    labels            TEXT    NOT NULL DEFAULT '[]',
    tag               TEXT    NOT NULL DEFAULT '',
    created_at        INTEGER,
    updated_at        INTEGER,
    closed_at         INTEGER,
    merged_at         INTEGER,
    first_response_at INTEGER,
    comments          INTEGER NOT NULL DEFAULT 0,
    reviews           TEXT    NOT NULL DEFAULT '[]',
    PRIMARY KEY (repo_id, kind, number)
) STRICT;

CREATE TABLE entities (
    source      TEXT NOT NULL,
    ref         TEXT NOT NULL,
    kind        TEXT NOT NULL,
    namespace   TEXT NOT NULL,
    name        TEXT NOT NULL,
    title       TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    type        TEXT NOT NULL DEFAULT '',
    lifecycle   TEXT NOT NULL DEFAULT '',
    owner       TEXT NOT NULL DEFAULT '',
    system      TEXT NOT NULL DEFAULT '',
    member_of   TEXT NOT NULL DEFAULT '[]',
    email       TEXT NOT NULL DEFAULT '',
    project_key TEXT NOT NULL DEFAULT '',
    document    TEXT NOT NULL,
    PRIMARY KEY (source, ref)
) STRICT;
