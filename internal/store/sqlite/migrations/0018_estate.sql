-- 0018_estate: the external estate and notification preferences (SQLite).
--
-- external_projects: the firm's public projects and the external projects
-- it contributes to, with lifecycle, owners and review date; the rest of the
-- project as JSON in data. notify_prefs: how each person wants to be told
-- (JSON in data), by lower-cased e-mail.

CREATE TABLE external_projects (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL UNIQUE,
    lifecycle  TEXT    NOT NULL,
    review_due INTEGER,
    version    INTEGER NOT NULL,
    data       TEXT    NOT NULL
) STRICT;

CREATE TABLE notify_prefs (
    email TEXT PRIMARY KEY,
    data  TEXT NOT NULL
) STRICT;
