-- 0014_expertise: who knows each project's code (SQLite).
--
-- project_expertise holds Project.Expertise's figures, one row a project
-- whose history could be read: the truck factor with its key people, the
-- contributor absence factor, and the authorship of its directories (JSON:
-- it is read whole, with the project, never queried into). project_authors
-- holds its authors, one row each, so that the people who know a project's
-- code can be found across the estate by e-mail. Only Project reads them;
-- ReplaceProject rewrites them with the project's other facts.

CREATE TABLE project_expertise (
    project_id     INTEGER PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
    files          INTEGER NOT NULL,
    truck_factor   INTEGER NOT NULL,
    absence_factor INTEGER NOT NULL,
    key_people     TEXT    NOT NULL,
    dirs           TEXT    NOT NULL
) STRICT;

CREATE TABLE project_authors (
    project_id  INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    pos         INTEGER NOT NULL,
    name        TEXT    NOT NULL,
    email       TEXT    NOT NULL,
    files       INTEGER NOT NULL,
    share       REAL    NOT NULL,
    last_change INTEGER,
    PRIMARY KEY (project_id, pos)
) STRICT;

CREATE INDEX project_authors_email ON project_authors (email);
