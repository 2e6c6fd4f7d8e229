-- +goose Up
-- What a database remembers about the service that runs on it. One row:
-- a random id, so files kept beside the database (the demo logins) can
-- tell which database they were made for, and a fingerprint of the
-- key-encryption key its signing keys are sealed with, so the database is
-- never opened with another one.
CREATE TABLE installation (
    singleton       INTEGER PRIMARY KEY CHECK (singleton = 1),
    database_id     TEXT NOT NULL,
    kek_fingerprint TEXT,
    created_at      DATETIME NOT NULL
);

-- Every issuer URL (iss) the service has signed under. Documents name
-- the URL of their day, so earlier ones stay trusted after a move.
CREATE TABLE issuer_urls (
    url           TEXT PRIMARY KEY,
    first_used_at DATETIME NOT NULL,
    last_used_at  DATETIME NOT NULL
);

-- +goose Down
DROP TABLE issuer_urls;
DROP TABLE installation;
