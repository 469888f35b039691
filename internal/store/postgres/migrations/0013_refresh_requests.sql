-- 0013_refresh_requests: repositories a webhook asked to refresh (PostgreSQL).
--
-- One row per (source, forge repository): a second event for a repository
-- already waiting adds nothing, so a burst of pushes costs one refresh.
-- The next sync of the source reads the repository again and deletes the
-- rows it served (those requested before it started).

CREATE TABLE refresh_requests (
    source       TEXT   COLLATE "C" NOT NULL,
    forge_id     BIGINT NOT NULL,
    full_name    TEXT   COLLATE "C" NOT NULL,
    event        TEXT   COLLATE "C" NOT NULL,
    requested_at BIGINT NOT NULL,
    PRIMARY KEY (source, forge_id)
);
