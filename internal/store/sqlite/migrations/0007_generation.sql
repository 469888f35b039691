-- 0007_generation: a counter of writes (SQLite).
--
-- store_generation holds one row whose n every write transaction increments
-- before it commits (Store.Generation reads it). Readers that cache what they
-- read, such as the hub's estate snapshot, compare it to skip re-reading a
-- store that has not changed. SQLite has one writer at a time, so the row is
-- never contended.

CREATE TABLE store_generation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  INTEGER NOT NULL
) STRICT;
INSERT INTO store_generation (id, n) VALUES (1, 0);
