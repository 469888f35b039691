-- 0006_readmes: the head of each project's root README (PostgreSQL).
--
-- project_readmes holds Project.Readme, one row a project that has one. It is
-- a table of its own, not columns of projects, so that listing projects
-- (ListProjects, which the hub runs over the whole estate) never reads README
-- text: only Project does. ReplaceProject rewrites it with the project's
-- other facts. text is at most 16 KiB (the scanner cuts it).

CREATE TABLE project_readmes (
    project_id BIGINT  PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
    path       TEXT    COLLATE "C" NOT NULL,
    format     TEXT    COLLATE "C" NOT NULL,
    text       TEXT    COLLATE "C" NOT NULL,
    truncated  BOOLEAN NOT NULL DEFAULT FALSE
);
