-- 0043_project_docs_search: a full-text index of the doc pages (FTS5), so
-- the hub's search finds a word among 10,000 projects' pages without
-- reading them all (a LIKE over every page's text took 0.1-0.2 s at that
-- size). The index is an external-content FTS5 table keyed by a stable
-- rowid, so project_docs gains an INTEGER PRIMARY KEY (a table's implicit
-- rowid may change on VACUUM, which would detach the index); triggers keep
-- the index in step with every insert and delete, including the deletes
-- of ON DELETE CASCADE.

CREATE TABLE project_docs_new (
    id         INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name       TEXT    NOT NULL,
    title      TEXT    NOT NULL,
    text       TEXT    NOT NULL,
    UNIQUE (project_id, name)
) STRICT;
INSERT INTO project_docs_new (project_id, name, title, text)
    SELECT project_id, name, title, text FROM project_docs;
DROP TABLE project_docs;
ALTER TABLE project_docs_new RENAME TO project_docs;

CREATE VIRTUAL TABLE project_docs_fts USING fts5 (
    title, text,
    content = 'project_docs', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO project_docs_fts (project_docs_fts) VALUES ('rebuild');

CREATE TRIGGER project_docs_fts_insert AFTER INSERT ON project_docs BEGIN
    INSERT INTO project_docs_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
END;
CREATE TRIGGER project_docs_fts_delete AFTER DELETE ON project_docs BEGIN
    INSERT INTO project_docs_fts (project_docs_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
END;
CREATE TRIGGER project_docs_fts_update AFTER UPDATE ON project_docs BEGIN
    INSERT INTO project_docs_fts (project_docs_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
    INSERT INTO project_docs_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
END;
