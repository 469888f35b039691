-- 0009_accounts: accounts, sessions, API tokens, team memberships and the
-- audit log (SQLite).
--
-- Secrets are never stored: passwords as argon2id PHC strings, session ids
-- and token secrets as hex SHA-256. The audit log is append-only and
-- hash-chained (internal/audit); seq numbers entries from 1 without gaps.

CREATE TABLE accounts (
    id            INTEGER PRIMARY KEY,
    email         TEXT    NOT NULL UNIQUE,
    name          TEXT    NOT NULL DEFAULT '',
    role          TEXT    NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0,
    password_hash TEXT    NOT NULL DEFAULT '',
    issuer        TEXT    NOT NULL DEFAULT '',
    subject       TEXT    NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL,
    last_login    INTEGER
) STRICT;
CREATE INDEX accounts_subject ON accounts (issuer, subject) WHERE subject <> '';

CREATE TABLE sessions (
    id_hash    TEXT    PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    last_seen  INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    address    TEXT    NOT NULL DEFAULT '',
    user_agent TEXT    NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX sessions_account ON sessions (account_id);

CREATE TABLE api_tokens (
    id         INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name       TEXT    NOT NULL DEFAULT '',
    hash       TEXT    NOT NULL UNIQUE,
    prefix     TEXT    NOT NULL,
    scope      TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER,
    last_used  INTEGER,
    revoked_at INTEGER
) STRICT;
CREATE INDEX api_tokens_account ON api_tokens (account_id);

CREATE TABLE team_memberships (
    team   TEXT NOT NULL,
    email  TEXT NOT NULL,
    source TEXT NOT NULL,
    PRIMARY KEY (team, email, source)
) STRICT;
CREATE INDEX team_memberships_email ON team_memberships (email);

CREATE TABLE audit_log (
    seq       INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL,
    actor     TEXT    NOT NULL,
    person    TEXT    NOT NULL DEFAULT '',
    source    TEXT    NOT NULL,
    address   TEXT    NOT NULL DEFAULT '',
    action    TEXT    NOT NULL,
    object    TEXT    NOT NULL DEFAULT '',
    before    TEXT    NOT NULL DEFAULT '',
    after     TEXT    NOT NULL DEFAULT '',
    prev_hash TEXT    NOT NULL,
    hash      TEXT    NOT NULL
) STRICT;
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_actor ON audit_log (actor, seq);
