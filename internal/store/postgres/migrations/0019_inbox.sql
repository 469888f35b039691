-- 0019_inbox: what people decided about their inbox items, and when each
-- was last sent a digest (PostgreSQL).
--
-- Inbox items are derived from the catalogue when asked for; only a
-- person's decisions are stored: one row per (e-mail, item key), holding the
-- fingerprint of the fact the person saw, so the item opens again when the
-- fact changes. How a person wants digests (daily, weekly, by e-mail or
-- webhook) is their notify preferences (migration 0018); inbox_digests
-- only records when the last one went out, so none is sent twice.

CREATE TABLE inbox_states (
    email       TEXT   COLLATE "C" NOT NULL,
    item        TEXT   COLLATE "C" NOT NULL,
    state       TEXT   COLLATE "C" NOT NULL CHECK (state IN ('snoozed', 'done')),
    fingerprint TEXT   COLLATE "C" NOT NULL,
    until       BIGINT,
    at          BIGINT NOT NULL,
    PRIMARY KEY (email, item)
);

CREATE TABLE inbox_digests (
    email   TEXT   COLLATE "C" NOT NULL PRIMARY KEY,
    sent_at BIGINT NOT NULL
);
