-- 0019_inbox: what people decided about their inbox items, and how they
-- want it delivered (SQLite).
--
-- Inbox items are derived from the catalogue when asked for; only a
-- person's decisions are stored: one row per (e-mail, item key), holding the
-- fingerprint of the fact the person saw, so the item opens again when the
-- fact changes. Preferences name a configured webhook, never a URL.

CREATE TABLE inbox_states (
    email       TEXT    NOT NULL,
    item        TEXT    NOT NULL,
    state       TEXT    NOT NULL CHECK (state IN ('snoozed', 'done')),
    fingerprint TEXT    NOT NULL,
    until       INTEGER,
    at          INTEGER NOT NULL,
    PRIMARY KEY (email, item)
) STRICT;

CREATE TABLE inbox_preferences (
    email       TEXT    NOT NULL PRIMARY KEY,
    digest      TEXT    NOT NULL CHECK (digest IN ('off', 'daily', 'weekly')),
    by_email    INTEGER NOT NULL,
    webhook     TEXT    NOT NULL,
    last_digest INTEGER
) STRICT;
