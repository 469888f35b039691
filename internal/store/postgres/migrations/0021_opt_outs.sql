-- 0021_opt_outs: what people asked to be left out of (PostgreSQL). See the
-- SQLite migration of the same number.

CREATE TABLE person_opt_outs (
    person_id       TEXT    COLLATE "C" PRIMARY KEY,
    experts         INTEGER NOT NULL,
    recommendations INTEGER NOT NULL,
    updated_at      BIGINT  NOT NULL
);
