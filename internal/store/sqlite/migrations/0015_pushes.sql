-- 0015_pushes: pushes received by the git push proxy (SQLite).
--
-- One row per push, with its ref updates, commits and findings as JSON
-- (they are read and written with the push, never queried apart). The pack
-- of a held or approved push lives in push_packs until it is forwarded or
-- rejected, so listing pushes never reads packs.

CREATE TABLE pushes (
    id           INTEGER PRIMARY KEY,
    upstream     TEXT    NOT NULL,
    pusher       TEXT    NOT NULL,
    status       TEXT    NOT NULL,
    refs         TEXT    NOT NULL,
    commits      TEXT    NOT NULL,
    findings     TEXT    NOT NULL,
    pack_size    INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    decided_by   TEXT    NOT NULL DEFAULT '',
    decided_at   INTEGER,
    reason       TEXT    NOT NULL DEFAULT '',
    attestations TEXT    NOT NULL DEFAULT '[]',
    forwarded_at INTEGER,
    error        TEXT    NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX pushes_status ON pushes (status, id);

CREATE TABLE push_packs (
    push_id INTEGER PRIMARY KEY REFERENCES pushes (id) ON DELETE CASCADE,
    pack    BLOB    NOT NULL
) STRICT;
