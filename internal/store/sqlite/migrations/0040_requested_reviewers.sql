-- 0040_requested_reviewers: the reviewers an open pull request asks for
-- (forge logins) and the teams it asks (GitHub team slugs), as encoded
-- strings like labels, so review items go to who is asked.

ALTER TABLE forge_items ADD COLUMN requested_reviewers TEXT NOT NULL DEFAULT '[]';
ALTER TABLE forge_items ADD COLUMN requested_teams TEXT NOT NULL DEFAULT '[]';
