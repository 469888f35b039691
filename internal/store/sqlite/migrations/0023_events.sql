-- 0023_events: verified events, manual claims and leaderboard consent (SQLite).
--
-- events holds one row per real action (the ID is derived from what the
-- action is about), so recording a history twice adds nothing.
-- event_cursors says up to which commit each project's events were derived.
-- event_claims are manual events and badges waiting for, or given, the
-- OSPO's four-eyes decision. leaderboard_optins lists the people who
-- consented to appear on individual leaderboards.

CREATE TABLE events (
    id          TEXT    PRIMARY KEY,
    kind        TEXT    NOT NULL,
    source      TEXT    NOT NULL,
    project_key TEXT    NOT NULL,
    email       TEXT    NOT NULL,
    at          INTEGER NOT NULL,
    points      INTEGER NOT NULL,
    summary     TEXT    NOT NULL,
    evidence    TEXT    NOT NULL
) STRICT;
CREATE INDEX events_email ON events (email, at);
CREATE INDEX events_project ON events (project_key, at);

CREATE TABLE event_cursors (
    project_key TEXT PRIMARY KEY,
    head        TEXT NOT NULL
) STRICT;

CREATE TABLE event_claims (
    id         INTEGER PRIMARY KEY,
    kind       TEXT    NOT NULL,
    badge      TEXT    NOT NULL,
    email      TEXT    NOT NULL,
    evidence   TEXT    NOT NULL,
    note       TEXT    NOT NULL,
    claimed_by TEXT    NOT NULL,
    claimed_at INTEGER NOT NULL,
    status     TEXT    NOT NULL,
    decided_by TEXT    NOT NULL,
    decided_at INTEGER,
    event_id   TEXT    NOT NULL
) STRICT;
CREATE INDEX event_claims_status ON event_claims (status, id);

CREATE TABLE leaderboard_optins (
    email     TEXT    PRIMARY KEY,
    opted_at  INTEGER NOT NULL
) STRICT;
