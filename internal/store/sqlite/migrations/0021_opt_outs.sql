-- 0021_opt_outs: what people asked to be left out of (SQLite).
--
-- One row a person (by catalogue person ID, which is stable while their
-- primary e-mail is) who opted out of appearing as an expert or in
-- recommendations; a person who opts back in to everything has no row.
-- Not a foreign key to people: people are rebuilt from identities after
-- every scan, and the choice outlives that.

CREATE TABLE person_opt_outs (
    person_id       TEXT    PRIMARY KEY,
    experts         INTEGER NOT NULL,
    recommendations INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
) STRICT;
