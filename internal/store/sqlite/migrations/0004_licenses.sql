-- 0004_licenses: licence facts and licence policy findings (SQLite).
--
-- project_licenses holds Project.License (one row a project, evidence as a
-- JSON array); dependency_licenses holds Project.DependencyLicenses and
-- license_findings Project.LicenseFindings, pos being the position in those
-- slices. ReplaceProject rewrites all three with the project's other facts.
-- The estate view (LicenseSummary) counts them with GROUP BY.

CREATE TABLE project_licenses (
    project_id  INTEGER PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
    expression  TEXT    NOT NULL,
    confidence  REAL    NOT NULL DEFAULT 0,
    evidence    TEXT    NOT NULL DEFAULT '[]' -- JSON array of catalog.LicenseEvidence
) STRICT;
CREATE INDEX project_licenses_expression ON project_licenses (expression);

CREATE TABLE dependency_licenses (
    project_id  INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    pos         INTEGER NOT NULL,
    purl        TEXT    NOT NULL,
    manifest    TEXT    NOT NULL DEFAULT '',
    expression  TEXT    NOT NULL,
    source      TEXT    NOT NULL DEFAULT '',
    category    TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (project_id, pos)
) STRICT;
CREATE INDEX dependency_licenses_expression ON dependency_licenses (expression, project_id);
CREATE INDEX dependency_licenses_category ON dependency_licenses (category, project_id);

CREATE TABLE license_findings (
    project_id    INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    pos           INTEGER NOT NULL,
    severity      TEXT    NOT NULL,
    rule          TEXT    NOT NULL,
    purl          TEXT    NOT NULL DEFAULT '',
    manifest      TEXT    NOT NULL DEFAULT '',
    scope         TEXT    NOT NULL DEFAULT '',
    license       TEXT    NOT NULL DEFAULT '',
    category      TEXT    NOT NULL DEFAULT '',
    message       TEXT    NOT NULL DEFAULT '',
    remediation   TEXT    NOT NULL DEFAULT '',
    suppressed_by TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (project_id, pos)
) STRICT;
CREATE INDEX license_findings_severity ON license_findings (severity, project_id);
