-- 0043_project_docs_search: a full-text index of the doc pages, so the
-- hub's search finds a word among 10,000 projects' pages without reading
-- them all (a LIKE over every page's text took 0.1-0.2 s at that size).
-- The 'simple' configuration: no stemming and no stop words, the words as
-- written (SQLite's FTS5 unicode61 tokenizer does the same), matched by
-- prefix. SearchDocs' query repeats this expression so the index is used.

CREATE INDEX project_docs_search ON project_docs
    USING GIN (to_tsvector('simple', title || ' ' || text));
