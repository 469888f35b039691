-- 0002_dependencies: the packages each project depends on (SQLite).
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
    project_id      INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    pos             INTEGER NOT NULL,
    purl            TEXT    NOT NULL,
    purl_base       TEXT    NOT NULL,
    ecosystem       TEXT    NOT NULL,
    ecosystem_lower TEXT    NOT NULL,
    name            TEXT    NOT NULL,
    name_key        TEXT    NOT NULL,
    artifact_key    TEXT,
    version         TEXT    NOT NULL,
    is_constraint   INTEGER NOT NULL DEFAULT 0,
    direct          INTEGER NOT NULL DEFAULT 0,
    scope           TEXT    NOT NULL DEFAULT '',
    manifest        TEXT    NOT NULL DEFAULT '',
    licenses        TEXT    NOT NULL DEFAULT '[]', -- JSON array of strings
    hashes          TEXT    NOT NULL DEFAULT '[]', -- JSON array of {"alg", "value"}
    depends_on      TEXT    NOT NULL DEFAULT '[]', -- JSON array of purls
    PRIMARY KEY (project_id, pos) -- also the index by project
) STRICT;
-- Who uses a package; project_id gives the package's first use at once.
CREATE INDEX dependencies_name ON dependencies (name_key, ecosystem_lower, project_id);
CREATE INDEX dependencies_purl_base ON dependencies (purl_base);
CREATE INDEX dependencies_artifact ON dependencies (artifact_key) WHERE artifact_key IS NOT NULL;

CREATE TABLE packages (
    name_key        TEXT    NOT NULL,
    ecosystem_lower TEXT    NOT NULL,
    projects        INTEGER NOT NULL,
    PRIMARY KEY (name_key, ecosystem_lower)
) STRICT;
CREATE INDEX packages_projects ON packages (projects DESC, name_key, ecosystem_lower);
CREATE INDEX packages_ecosystem ON packages (ecosystem_lower, projects DESC, name_key);

CREATE TABLE package_versions (
    name_key        TEXT    NOT NULL,
    ecosystem_lower TEXT    NOT NULL,
    version         TEXT    NOT NULL,
    projects        INTEGER NOT NULL,
    PRIMARY KEY (name_key, ecosystem_lower, version)
) STRICT;
