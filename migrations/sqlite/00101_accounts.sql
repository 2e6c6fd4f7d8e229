-- +goose Up
-- Accounts sign in with a username and an argon2id password hash. A
-- resident account belongs to exactly one registry person and a person has
-- at most one account; staff accounts belong to nobody. Failed logins are
-- counted to lock the account with a growing back-off.
CREATE TABLE accounts (
    id            TEXT PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('resident', 'officer', 'admin')),
    person_id     TEXT UNIQUE REFERENCES persons (id),
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until  DATETIME,
    created_at    DATETIME NOT NULL,
    updated_at    DATETIME NOT NULL,
    CHECK ((role = 'resident') = (person_id IS NOT NULL))
);

-- Sessions hold only the SHA-256 of the bearer token: a copy of this table
-- lets nobody sign in.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    created_at DATETIME NOT NULL,
    expires_at DATETIME NOT NULL,
    revoked_at DATETIME
);
CREATE INDEX sessions_account_idx ON sessions (account_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

-- +goose Down
DROP TABLE sessions;
DROP TABLE accounts;
