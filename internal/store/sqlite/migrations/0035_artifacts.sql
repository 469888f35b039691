-- 0035_artifacts: what an artifact repository (Artifactory) knows: the
-- package files it caches from remote repositories or holds in local ones,
-- with their downloads, and the packages each recorded build run used or
-- published (SQLite).

CREATE TABLE artifacts (
    source             TEXT    NOT NULL,
    repo               TEXT    NOT NULL,
    path               TEXT    NOT NULL,
    remote             INTEGER NOT NULL DEFAULT 0,
    ecosystem          TEXT    NOT NULL,
    package            TEXT    NOT NULL,
    version            TEXT    NOT NULL DEFAULT '',
    purl               TEXT    NOT NULL,
    size               INTEGER NOT NULL DEFAULT 0,
    created            INTEGER,
    downloads          INTEGER NOT NULL DEFAULT 0,
    last_downloaded    INTEGER,
    last_downloaded_by TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (source, repo, path)
) STRICT;

CREATE INDEX artifacts_purl ON artifacts (purl);

CREATE TABLE build_uses (
    source      TEXT    NOT NULL,
    build       TEXT    NOT NULL,
    number      TEXT    NOT NULL,
    started     INTEGER,
    project_key TEXT    NOT NULL DEFAULT '',
    revision    TEXT    NOT NULL DEFAULT '',
    ecosystem   TEXT    NOT NULL,
    package     TEXT    NOT NULL,
    version     TEXT    NOT NULL DEFAULT '',
    purl        TEXT    NOT NULL,
    published   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (source, build, number, purl, version, published)
) STRICT;

CREATE INDEX build_uses_purl ON build_uses (purl);
CREATE INDEX build_uses_project ON build_uses (project_key);
