-- 0002_dependencies: the packages each project depends on (PostgreSQL).
--
-- One row per Project.Dependencies entry; pos is its position there. The
-- store computes the lookup columns in Go when it writes a row:
-- * purl_base is the package URL without version, qualifiers or subpath, in
--   the canonical form packageurl-go gives it (one package, all versions);
-- * ecosystem_lower is the Go strings.ToLower of ecosystem;
-- * name_key is the name in the form the ecosystem compares names: PyPI
--   names PEP 503-normalised, crates.io names with '_' as '-', every name
--   lowercased (Maven keeps "group:artifact");
-- * artifact_key is, for Maven only, the artifact part of name_key, so that a
--   bare artifact name finds the package; NULL otherwise.
-- licenses, hashes and depends_on are JSON arrays.
--
-- packages and package_versions count, for each package (ecosystem_lower,
-- name_key) and each of its versions, the projects with a dependency on it;
-- ReplaceProject and DeleteProject keep them in step with dependencies in
-- the same transaction, so that ranking packages by use does not read every
-- dependency row. A count that falls to zero deletes its row.
-- "constraint" is a reserved word: the Constraint flag is is_constraint.

CREATE TABLE dependencies (
    project_id      BIGINT  NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    pos             BIGINT  NOT NULL,
    purl            TEXT    COLLATE "C" NOT NULL,
    purl_base       TEXT    COLLATE "C" NOT NULL,
    ecosystem       TEXT    COLLATE "C" NOT NULL,
    ecosystem_lower TEXT    COLLATE "C" NOT NULL,
    name            TEXT    COLLATE "C" NOT NULL,
    name_key        TEXT    COLLATE "C" NOT NULL,
    artifact_key    TEXT    COLLATE "C",
    version         TEXT    COLLATE "C" NOT NULL,
    is_constraint   BOOLEAN NOT NULL DEFAULT FALSE,
    direct          BOOLEAN NOT NULL DEFAULT FALSE,
    scope           TEXT    COLLATE "C" NOT NULL DEFAULT '',
    manifest        TEXT    COLLATE "C" NOT NULL DEFAULT '',
    licenses        TEXT    COLLATE "C" NOT NULL DEFAULT '[]', -- JSON array of strings
    hashes          TEXT    COLLATE "C" NOT NULL DEFAULT '[]', -- JSON array of {"alg", "value"}
    depends_on      TEXT    COLLATE "C" NOT NULL DEFAULT '[]', -- JSON array of purls
    PRIMARY KEY (project_id, pos) -- also the index by project
);
-- Who uses a package; project_id gives the package's first use at once.
CREATE INDEX dependencies_name ON dependencies (name_key, ecosystem_lower, project_id);
CREATE INDEX dependencies_purl_base ON dependencies (purl_base);
CREATE INDEX dependencies_artifact ON dependencies (artifact_key) WHERE artifact_key IS NOT NULL;

CREATE TABLE packages (
    name_key        TEXT    COLLATE "C" NOT NULL,
    ecosystem_lower TEXT    COLLATE "C" NOT NULL,
    projects        BIGINT  NOT NULL,
    PRIMARY KEY (name_key, ecosystem_lower)
);
CREATE INDEX packages_projects ON packages (projects DESC, name_key, ecosystem_lower);
CREATE INDEX packages_ecosystem ON packages (ecosystem_lower, projects DESC, name_key);

CREATE TABLE package_versions (
    name_key        TEXT    COLLATE "C" NOT NULL,
    ecosystem_lower TEXT    COLLATE "C" NOT NULL,
    version         TEXT    COLLATE "C" NOT NULL,
    projects        BIGINT  NOT NULL,
    PRIMARY KEY (name_key, ecosystem_lower, version)
);
