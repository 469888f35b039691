-- 0019_inbox: what people decided about their inbox items, and when each
-- was last sent a digest (SQLite).
--
-- Inbox items are derived from the catalogue when asked for; only a
-- person's decisions are stored: one row per (e-mail, item key), holding the
-- fingerprint of the fact the person saw, so the item opens again when the
-- fact changes. How a person wants digests (daily, weekly, by e-mail or
-- webhook) is their notify preferences (migration 0018); inbox_digests
-- only records when the last one went out, so none is sent twice.

CREATE TABLE inbox_states (
    email       TEXT    NOT NULL,
    item        TEXT    NOT NULL,
    state       TEXT    NOT NULL CHECK (state IN ('snoozed', 'done')),
    fingerprint TEXT    NOT NULL,
    until       INTEGER,
    at          INTEGER NOT NULL,
    PRIMARY KEY (email, item)
) STRICT;

CREATE TABLE inbox_digests (
    email   TEXT    NOT NULL PRIMARY KEY,
    sent_at INTEGER NOT NULL
) STRICT;
