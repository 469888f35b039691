-- 0038_event_marks: the order in which events were recorded, so that the
-- hub's leaderboard tally reads only the events recorded since its last
-- read (store.EventStore.TallyEvents).
--
-- event_marks holds one counter; every transaction that records events
-- advances it first and stamps its events with the new value (seq). On
-- PostgreSQL the row lock taken by that update orders such transactions by
-- commit, so a reader that sees mark N has seen every event of a mark
-- below N. Events recorded before this migration get mark 1.

ALTER TABLE events ADD COLUMN seq INTEGER NOT NULL DEFAULT 1;
CREATE INDEX events_seq ON events (seq);

CREATE TABLE event_marks (
    n INTEGER NOT NULL
) STRICT;
INSERT INTO event_marks (n) VALUES (1);
