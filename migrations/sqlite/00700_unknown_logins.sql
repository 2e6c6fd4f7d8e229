-- +goose Up
-- Failed logins at usernames that have no account. Such a name locks after
-- the same failures and for the same time as a real account, so the answer
-- "locked" says nothing about whether an account exists. Kept here rather
-- than in each node's memory so that guesses spread over several nodes
-- count alike for real and unknown names. The name is stored only as its
-- SHA-256 (it may be a mistyped password); rows idle for longer than the
-- longest lock are pruned.
CREATE TABLE unknown_logins (
    name_hash      TEXT PRIMARY KEY,
    failures       INTEGER NOT NULL,
    locked_until   DATETIME,
    last_failed_at DATETIME NOT NULL
);
CREATE INDEX unknown_logins_last_idx ON unknown_logins (last_failed_at);

-- +goose Down
DROP TABLE unknown_logins;
