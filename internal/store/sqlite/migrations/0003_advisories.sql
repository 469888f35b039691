-- 0003_advisories: imported OSV advisories (SQLite).
--
-- advisories holds one row per advisory id with the fields lists need and
-- the whole OSV record (raw, compact JSON text) that matching parses;
-- digest tells apart two records with the same modified time.
-- advisory_packages indexes each advisory by the packages it affects, in the
-- lookup form of dependencies (ecosystem_lower, name_key: see 0002), so
-- that the advisories of the packages a project uses are one indexed join.
-- advisory_ids maps the folded id and every folded alias to the advisory.
-- advisory_meta holds one row (id 1): when the last import that changed
-- anything ran.

CREATE TABLE advisories (
    id              TEXT    PRIMARY KEY,
    modified        INTEGER, -- NULL when the record gives none
    published       INTEGER,
    summary         TEXT    NOT NULL DEFAULT '',
    aliases         TEXT    NOT NULL DEFAULT '[]', -- JSON array of strings
    related         TEXT    NOT NULL DEFAULT '[]', -- JSON array of strings
    severity_rating TEXT    NOT NULL DEFAULT '',
    severity_score  REAL    NOT NULL DEFAULT 0,
    severity_vector TEXT    NOT NULL DEFAULT '',
    digest          TEXT    NOT NULL, -- SHA-256 of raw, hex
    raw             TEXT    NOT NULL
) STRICT;

CREATE TABLE advisory_packages (
    advisory_id     TEXT    NOT NULL REFERENCES advisories (id) ON DELETE CASCADE,
    pos             INTEGER NOT NULL,
    ecosystem       TEXT    NOT NULL,
    ecosystem_lower TEXT    NOT NULL,
    name            TEXT    NOT NULL,
    name_key        TEXT    NOT NULL,
    PRIMARY KEY (advisory_id, pos)
) STRICT;
CREATE INDEX advisory_packages_name ON advisory_packages (name_key, ecosystem_lower, advisory_id);

CREATE TABLE advisory_ids (
    id_fold     TEXT NOT NULL,
    advisory_id TEXT NOT NULL REFERENCES advisories (id) ON DELETE CASCADE,
    PRIMARY KEY (id_fold, advisory_id)
) STRICT;
CREATE INDEX advisory_ids_advisory ON advisory_ids (advisory_id);

CREATE TABLE advisory_meta (
    id          INTEGER PRIMARY KEY,
    imported_at INTEGER
) STRICT;
