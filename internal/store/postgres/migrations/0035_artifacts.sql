-- 0035_artifacts: what an artifact repository (Artifactory) knows: the
-- package files it caches from remote repositories or holds in local ones,
-- with their downloads, and the packages each recorded build run used or
-- published (PostgreSQL).

CREATE TABLE artifacts (
    source             TEXT    COLLATE "C" NOT NULL,
    repo               TEXT    COLLATE "C" NOT NULL,
    path               TEXT    COLLATE "C" NOT NULL,
    remote             BOOLEAN NOT NULL DEFAULT FALSE,
    ecosystem          TEXT    COLLATE "C" NOT NULL,
    package            TEXT    COLLATE "C" NOT NULL,
    version            TEXT    COLLATE "C" NOT NULL DEFAULT '',
    purl               TEXT    COLLATE "C" NOT NULL,
    size               BIGINT  NOT NULL DEFAULT 0,
    created            BIGINT,
    downloads          BIGINT  NOT NULL DEFAULT 0,
    last_downloaded    BIGINT,
    last_downloaded_by TEXT    COLLATE "C" NOT NULL DEFAULT '',
    PRIMARY KEY (source, repo, path)
);

CREATE INDEX artifacts_purl ON artifacts (purl);

CREATE TABLE build_uses (
    source      TEXT    COLLATE "C" NOT NULL,
    build       TEXT    COLLATE "C" NOT NULL,
    number      TEXT    COLLATE "C" NOT NULL,
    started     BIGINT,
    project_key TEXT    COLLATE "C" NOT NULL DEFAULT '',
    revision    TEXT    COLLATE "C" NOT NULL DEFAULT '',
    ecosystem   TEXT    COLLATE "C" NOT NULL,
    package     TEXT    COLLATE "C" NOT NULL,
    version     TEXT    COLLATE "C" NOT NULL DEFAULT '',
    purl        TEXT    COLLATE "C" NOT NULL,
    published   BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (source, build, number, purl, version, published)
);

CREATE INDEX build_uses_purl ON build_uses (purl);
CREATE INDEX build_uses_project ON build_uses (project_key);
