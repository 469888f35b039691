-- 0039_health_digests: which weekly team health digests went to whom
-- (PostgreSQL), so a rerun of the sending does not send one twice. week is
-- the Monday 00:00 UTC starting the week digested and sent_at the claim's
-- time, both Unix nanoseconds; recipient is a channel name ("webhook",
-- "email:ADDRESS", "member:ADDRESS"), never a webhook URL.

CREATE TABLE health_digests (
    team      TEXT   COLLATE "C" NOT NULL,
    week      BIGINT NOT NULL,
    recipient TEXT   COLLATE "C" NOT NULL,
    sent_at   BIGINT NOT NULL,
    PRIMARY KEY (team, week, recipient)
);
