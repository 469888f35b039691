-- 0013_refresh_requests: repositories a webhook asked to refresh (SQLite).
--
-- One row per (source, forge repository): a second event for a repository
-- already waiting adds nothing, so a burst of pushes costs one refresh.
-- The next sync of the source reads the repository again and deletes the
-- rows it served (those requested before it started).

CREATE TABLE refresh_requests (
    source       TEXT    NOT NULL,
    forge_id     INTEGER NOT NULL,
    full_name    TEXT    NOT NULL,
    event        TEXT    NOT NULL,
    requested_at INTEGER NOT NULL,
    PRIMARY KEY (source, forge_id)
) STRICT;
