-- 0003_advisories: imported OSV advisories (PostgreSQL).
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
    id              TEXT    COLLATE "C" PRIMARY KEY,
    modified        BIGINT, -- NULL when the record gives none
    published       BIGINT,
    summary         TEXT    COLLATE "C" NOT NULL DEFAULT '',
    aliases         TEXT    COLLATE "C" NOT NULL DEFAULT '[]', -- JSON array of strings
    related         TEXT    COLLATE "C" NOT NULL DEFAULT '[]', -- JSON array of strings
    severity_rating TEXT    COLLATE "C" NOT NULL DEFAULT '',
    severity_score  DOUBLE PRECISION NOT NULL DEFAULT 0,
    severity_vector TEXT    COLLATE "C" NOT NULL DEFAULT '',
    digest          TEXT    COLLATE "C" NOT NULL, -- SHA-256 of raw, hex
    raw             TEXT    COLLATE "C" NOT NULL
);

CREATE TABLE advisory_packages (
    advisory_id     TEXT    COLLATE "C" NOT NULL REFERENCES advisories (id) ON DELETE CASCADE,
    pos             BIGINT  NOT NULL,
    ecosystem       TEXT    COLLATE "C" NOT NULL,
    ecosystem_lower TEXT    COLLATE "C" NOT NULL,
    name            TEXT    COLLATE "C" NOT NULL,
    name_key        TEXT    COLLATE "C" NOT NULL,
    PRIMARY KEY (advisory_id, pos)
);
CREATE INDEX advisory_packages_name ON advisory_packages (name_key, ecosystem_lower, advisory_id);

CREATE TABLE advisory_ids (
    id_fold     TEXT COLLATE "C" NOT NULL,
    advisory_id TEXT COLLATE "C" NOT NULL REFERENCES advisories (id) ON DELETE CASCADE,
    PRIMARY KEY (id_fold, advisory_id)
);
CREATE INDEX advisory_ids_advisory ON advisory_ids (advisory_id);

CREATE TABLE advisory_meta (
    id          BIGINT PRIMARY KEY,
    imported_at BIGINT
);
