-- 0017_requests: governance requests (SQLite).
--
-- One row per request: the columns that listings filter on, and the whole
-- request (checklist, approvals, events) as JSON in data. version counts
-- the changes; an update names the version it was made from and fails if
-- another change came first, so concurrent approvals and rejections
-- resolve to one outcome.

CREATE TABLE requests (
    id         INTEGER PRIMARY KEY,
    kind       TEXT    NOT NULL,
    subject    TEXT    NOT NULL,
    requester  TEXT    NOT NULL,
    state      TEXT    NOT NULL,
    version    INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    expires_at INTEGER,
    data       TEXT    NOT NULL
) STRICT;
CREATE INDEX requests_state ON requests (state, kind);
CREATE INDEX requests_requester ON requests (requester);
CREATE INDEX requests_subject ON requests (subject);
