-- 0011_sources: what configured sources (GitHub, Backstage …) bring, and
-- where each one's sync stands (PostgreSQL).
--
-- source_states holds catalog.SourceState, one row a source; cursor is a JSON
-- object (ETags, pagination cursors). It never holds a secret.
-- forge_repos holds catalog.ForgeRepo by (source, forge id), so a renamed or
-- transferred repository stays one row; project_key links it to the scanned
-- project. forge_items holds its pull requests, issues and releases
-- (labels and reviews as JSON arrays). entities holds imported Backstage
-- entities by (source, ref). Times are Unix nanoseconds.

CREATE TABLE source_states (
    name           TEXT   COLLATE "C" PRIMARY KEY,
    kind           TEXT   COLLATE "C" NOT NULL,
    status         TEXT   COLLATE "C" NOT NULL DEFAULT '',
    last_attempt   BIGINT,
    last_success   BIGINT,
    last_error     TEXT   COLLATE "C" NOT NULL DEFAULT '',
    cursor         TEXT   COLLATE "C" NOT NULL DEFAULT '{}',
    rate_limit     BIGINT  NOT NULL DEFAULT 0,
    rate_remaining BIGINT  NOT NULL DEFAULT 0,
    rate_reset     BIGINT,
    requests       BIGINT  NOT NULL DEFAULT 0,
    not_modified   BIGINT  NOT NULL DEFAULT 0
);

CREATE TABLE forge_repos (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source         TEXT   COLLATE "C" NOT NULL,
    forge_id       BIGINT  NOT NULL,
    project_key    TEXT   COLLATE "C" NOT NULL,
    full_name      TEXT   COLLATE "C" NOT NULL,
    url            TEXT   COLLATE "C" NOT NULL DEFAULT '',
    clone_url      TEXT   COLLATE "C" NOT NULL DEFAULT '',
    description    TEXT   COLLATE "C" NOT NULL DEFAULT '',
    topics         TEXT   COLLATE "C" NOT NULL DEFAULT '[]',
    visibility     TEXT   COLLATE "C" NOT NULL DEFAULT '',
    archived       BOOLEAN NOT NULL DEFAULT FALSE,
    fork           BOOLEAN NOT NULL DEFAULT FALSE,
    stars          BIGINT  NOT NULL DEFAULT 0,
    forks          BIGINT  NOT NULL DEFAULT 0,
    watchers       BIGINT  NOT NULL DEFAULT 0,
    open_issues    BIGINT  NOT NULL DEFAULT 0,
    default_branch TEXT   COLLATE "C" NOT NULL DEFAULT '',
    license        TEXT   COLLATE "C" NOT NULL DEFAULT '',
    pushed_at      BIGINT,
    updated_at     BIGINT,
    synced_at      BIGINT,
    UNIQUE (source, forge_id)
);
CREATE INDEX forge_repos_project ON forge_repos (project_key);

CREATE TABLE forge_items (
    repo_id           BIGINT NOT NULL REFERENCES forge_repos (id) ON DELETE CASCADE,
    kind              TEXT   COLLATE "C" NOT NULL,
    number            BIGINT  NOT NULL,
    title             TEXT   COLLATE "C" NOT NULL DEFAULT '',
    state             TEXT   COLLATE "C" NOT NULL DEFAULT '',
    author            TEXT   COLLATE "C" NOT NULL DEFAULT '',
    url               TEXT   COLLATE "C" NOT NULL DEFAULT '',
    labels            TEXT   COLLATE "C" NOT NULL DEFAULT '[]',
    tag               TEXT   COLLATE "C" NOT NULL DEFAULT '',
    created_at        BIGINT,
    updated_at        BIGINT,
    closed_at         BIGINT,
    merged_at         BIGINT,
    first_response_at BIGINT,
    comments          BIGINT  NOT NULL DEFAULT 0,
    reviews           TEXT   COLLATE "C" NOT NULL DEFAULT '[]',
    PRIMARY KEY (repo_id, kind, number)
);

CREATE TABLE entities (
    source      TEXT COLLATE "C" NOT NULL,
    ref         TEXT COLLATE "C" NOT NULL,
    kind        TEXT COLLATE "C" NOT NULL,
    namespace   TEXT COLLATE "C" NOT NULL,
    name        TEXT COLLATE "C" NOT NULL,
    title       TEXT COLLATE "C" NOT NULL DEFAULT '',
    description TEXT COLLATE "C" NOT NULL DEFAULT '',
    type        TEXT COLLATE "C" NOT NULL DEFAULT '',
    lifecycle   TEXT COLLATE "C" NOT NULL DEFAULT '',
    owner       TEXT COLLATE "C" NOT NULL DEFAULT '',
    system      TEXT COLLATE "C" NOT NULL DEFAULT '',
    member_of   TEXT COLLATE "C" NOT NULL DEFAULT '[]',
    email       TEXT COLLATE "C" NOT NULL DEFAULT '',
    project_key TEXT COLLATE "C" NOT NULL DEFAULT '',
    document    TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (source, ref)
);
