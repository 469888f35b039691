-- 0019_inbox: what people decided about their inbox items, and how they
-- want it delivered (PostgreSQL).
--
-- Inbox items are derived from the catalogue when asked for; only a
-- person's decisions are stored: one row per (e-mail, item key), holding the
-- fingerprint of the fact the person saw, so the item opens again when the
-- fact changes. Preferences name a configured webhook, never a URL.

CREATE TABLE inbox_states (
    email       TEXT   COLLATE "C" NOT NULL,
    item        TEXT   COLLATE "C" NOT NULL,
    state       TEXT   COLLATE "C" NOT NULL CHECK (state IN ('snoozed', 'done')),
    fingerprint TEXT   COLLATE "C" NOT NULL,
    until       BIGINT,
    at          BIGINT NOT NULL,
    PRIMARY KEY (email, item)
);

CREATE TABLE inbox_preferences (
    email       TEXT   COLLATE "C" NOT NULL PRIMARY KEY,
    digest      TEXT   COLLATE "C" NOT NULL CHECK (digest IN ('off', 'daily', 'weekly')),
    by_email    BIGINT NOT NULL,
    webhook     TEXT   COLLATE "C" NOT NULL,
    last_digest BIGINT
);
