-- 0041_project_docs: the pages of each project's docs/ folder as the scan
-- found them (catalog.DocPage: name, title, lower-cased text of at most
-- 2 KiB), for the hub's search. A table of its own, like project_readmes:
-- no project read returns them; ReplaceProject rewrites them with the
-- project's other facts.

CREATE TABLE project_docs (
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name       TEXT    NOT NULL,
    title      TEXT    NOT NULL,
    text       TEXT    NOT NULL,
    PRIMARY KEY (project_id, name)
);
