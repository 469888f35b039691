-- 0044_events_at: the newest events first (Store.Events: ORDER BY at DESC,
-- id DESC with a limit, the hub's /api/v1/events?limit=N) read from an
-- index instead of sorting every event: at 100,000 events that sort was
-- most of the route's 26 ms of CPU a request.

CREATE INDEX events_at ON events (at, id);
