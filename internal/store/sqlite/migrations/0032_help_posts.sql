-- 0032_help_posts: "looking for help" posts maintainers write for their
-- projects (SQLite). skills is a JSON array of strings; ends_at, created_at
-- and updated_at are Unix nanoseconds. The project is named by key, so a
-- post outlives rescans of its project.

CREATE TABLE help_posts (
    id          INTEGER PRIMARY KEY,
    project_key TEXT    NOT NULL,
    title       TEXT    NOT NULL,
    description TEXT    NOT NULL,
    skills      TEXT    NOT NULL,
    size        TEXT    NOT NULL,
    ends_at     INTEGER NOT NULL,
    author      TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    closed      INTEGER NOT NULL
) STRICT;
CREATE INDEX help_posts_open ON help_posts (closed, ends_at);
CREATE INDEX help_posts_project ON help_posts (project_key);
