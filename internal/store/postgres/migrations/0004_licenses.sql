-- 0004_licenses: licence facts and licence policy findings (PostgreSQL).
--
-- project_licenses holds Project.License (one row a project, evidence as a
-- JSON array); dependency_licenses holds Project.DependencyLicenses and
-- license_findings Project.LicenseFindings, pos being the position in those
-- slices. ReplaceProject rewrites all three with the project's other facts.
-- The estate view (LicenseSummary) counts them with GROUP BY.

CREATE TABLE project_licenses (
    project_id  BIGINT  PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
    expression  TEXT    COLLATE "C" NOT NULL,
    confidence  DOUBLE PRECISION NOT NULL DEFAULT 0,
    evidence    TEXT    COLLATE "C" NOT NULL DEFAULT '[]' -- JSON array of catalog.LicenseEvidence
);
CREATE INDEX project_licenses_expression ON project_licenses (expression);

CREATE TABLE dependency_licenses (
    project_id  BIGINT  NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    pos         BIGINT  NOT NULL,
    purl        TEXT    COLLATE "C" NOT NULL,
    manifest    TEXT    COLLATE "C" NOT NULL DEFAULT '',
    expression  TEXT    COLLATE "C" NOT NULL,
    source      TEXT    COLLATE "C" NOT NULL DEFAULT '',
    category    TEXT    COLLATE "C" NOT NULL DEFAULT '',
    PRIMARY KEY (project_id, pos)
);
CREATE INDEX dependency_licenses_expression ON dependency_licenses (expression, project_id);
CREATE INDEX dependency_licenses_category ON dependency_licenses (category, project_id);

CREATE TABLE license_findings (
    project_id    BIGINT  NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    pos           BIGINT  NOT NULL,
    severity      TEXT    COLLATE "C" NOT NULL,
    rule          TEXT    COLLATE "C" NOT NULL,
    purl          TEXT    COLLATE "C" NOT NULL DEFAULT '',
    manifest      TEXT    COLLATE "C" NOT NULL DEFAULT '',
    scope         TEXT    COLLATE "C" NOT NULL DEFAULT '',
    license       TEXT    COLLATE "C" NOT NULL DEFAULT '',
    category      TEXT    COLLATE "C" NOT NULL DEFAULT '',
    message       TEXT    COLLATE "C" NOT NULL DEFAULT '',
    remediation   TEXT    COLLATE "C" NOT NULL DEFAULT '',
    suppressed_by TEXT    COLLATE "C" NOT NULL DEFAULT '',
    PRIMARY KEY (project_id, pos)
);
CREATE INDEX license_findings_severity ON license_findings (severity, project_id);
