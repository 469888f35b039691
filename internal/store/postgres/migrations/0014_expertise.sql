-- 0014_expertise: who knows each project's code (PostgreSQL). See the
-- SQLite migration of the same number for what each table holds.

CREATE TABLE project_expertise (
    project_id     BIGINT  PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
    files          INTEGER NOT NULL,
    truck_factor   INTEGER NOT NULL,
    absence_factor INTEGER NOT NULL,
    key_people     TEXT    COLLATE "C" NOT NULL,
    dirs           TEXT    COLLATE "C" NOT NULL
);

CREATE TABLE project_authors (
    project_id  BIGINT           NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    pos         INTEGER          NOT NULL,
    name        TEXT             COLLATE "C" NOT NULL,
    email       TEXT             COLLATE "C" NOT NULL,
    files       INTEGER          NOT NULL,
    share       DOUBLE PRECISION NOT NULL,
    last_change BIGINT,
    PRIMARY KEY (project_id, pos)
);

CREATE INDEX project_authors_email ON project_authors (email);
