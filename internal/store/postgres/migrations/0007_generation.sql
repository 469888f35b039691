-- 0007_generation: a counter of writes (PostgreSQL).
--
-- Every write transaction advances the sequence store_generation after it
-- commits (Store.Generation reads its last value). Readers that cache what
-- they read, such as the hub's estate snapshot, compare it to skip re-reading
-- a store that has not changed. A sequence rather than a counter row: writers
-- run concurrently on PostgreSQL, and one row would serialise their commits;
-- and after the commit, so that a reader who sees the new value also sees
-- the data.

CREATE SEQUENCE store_generation AS BIGINT;
