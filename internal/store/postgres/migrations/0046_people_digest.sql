-- 0046_people_digest: a digest of each person as ReplacePeople stores them
-- (ID, name, e-mail, bot, identities in order), so that ReplacePeople,
-- which a worker's Derive job calls with every person after each batch of
-- scans, compares digests and rewrites only the people who changed, their
-- identities and search text, instead of deleting and inserting them all.
-- An empty digest (rows stored before this migration) matches nothing: the
-- next ReplacePeople rewrites those people once.

ALTER TABLE people ADD COLUMN digest TEXT NOT NULL DEFAULT '';
