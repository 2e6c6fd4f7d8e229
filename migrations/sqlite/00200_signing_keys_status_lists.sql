-- +goose Up
-- Document signing keys. The private key is stored only as AES-256-GCM
-- ciphertext under the key-encryption key, which never enters the database.
CREATE TABLE signing_keys (
    kid                   TEXT PRIMARY KEY,
    state                 TEXT NOT NULL CHECK (state IN ('active', 'retired', 'revoked')),
    created_at            DATETIME NOT NULL,
    activated_at          DATETIME NOT NULL,
    retired_at            DATETIME,
    revoked_at            DATETIME,
    not_after             DATETIME,
    public_jwk            TEXT NOT NULL,
    encrypted_private_key BLOB
);
-- At most one active key, enforced by the database as well as by the keys
-- package, so two nodes rotating at once cannot both win.
CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys (state) WHERE state = 'active';

-- Status lists (IETF Token Status List). next_seq counts documents placed
-- on the list; the index of the n-th one comes from a keyed permutation
-- under perm_key, so indexes do not reveal issue order. version grows with
-- every status change so caches of the signed list know when to rebuild.
CREATE TABLE status_lists (
    id         TEXT PRIMARY KEY,
    size       INTEGER NOT NULL CHECK (size > 0),
    next_seq   INTEGER NOT NULL DEFAULT 0,
    perm_key   BLOB NOT NULL,
    version    INTEGER NOT NULL DEFAULT 0,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL
);
CREATE INDEX status_lists_open_idx ON status_lists (created_at) WHERE next_seq < size;

-- Entries that are not valid (0); an absent row means valid.
CREATE TABLE status_entries (
    list_id    TEXT NOT NULL REFERENCES status_lists (id),
    idx        INTEGER NOT NULL CHECK (idx >= 0),
    status     INTEGER NOT NULL CHECK (status BETWEEN 0 AND 3),
    updated_at DATETIME NOT NULL,
    PRIMARY KEY (list_id, idx)
);

-- +goose Down
DROP TABLE status_entries;
DROP TABLE status_lists;
DROP TABLE signing_keys;
