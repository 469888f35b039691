-- 0022_person_identities_email: find the person of an e-mail (PostgreSQL).
-- See the SQLite migration of the same number.

CREATE INDEX person_identities_email ON person_identities (email);
