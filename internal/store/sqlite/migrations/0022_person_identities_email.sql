-- 0022_person_identities_email: find the person of an e-mail (SQLite).
--
-- Store.ProjectAuthors (the experts and the recommendations) looks up the
-- person of each author by e-mail; the primary key (name, email) cannot
-- serve that, so each author row scanned every identity: 10,000 projects'
-- authors took minutes. This index makes it one lookup.

CREATE INDEX person_identities_email ON person_identities (email);
