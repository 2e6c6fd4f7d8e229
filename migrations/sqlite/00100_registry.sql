-- +goose Up
-- The identity registry: persons with their passports and Foreign Permanent
-- Resident ID Cards. Documents are never overwritten: a new one is a new row
-- and the one it supersedes is marked replaced, so history stays readable.
-- Civil dates are TEXT 'YYYY-MM-DD'; names are as written in the MRZ.
CREATE TABLE persons (
    id           TEXT PRIMARY KEY,
    surname      TEXT NOT NULL,
    given_names  TEXT NOT NULL DEFAULT '',
    chinese_name TEXT NOT NULL DEFAULT '',
    sex          TEXT NOT NULL CHECK (sex IN ('M', 'F', 'X')),
    birth_date   TEXT NOT NULL,
    nationality  TEXT NOT NULL,
    created_at   DATETIME NOT NULL,
    updated_at   DATETIME NOT NULL
);

CREATE TABLE passports (
    id            TEXT PRIMARY KEY,
    person_id     TEXT NOT NULL REFERENCES persons (id),
    number        TEXT NOT NULL,
    issuing_state TEXT NOT NULL,
    issue_date    TEXT NOT NULL,
    expiry_date   TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('valid', 'expired', 'lost', 'replaced')),
    mrz           TEXT,
    replaces_id   TEXT REFERENCES passports (id),
    created_at    DATETIME NOT NULL,
    updated_at    DATETIME NOT NULL,
    -- A passport number is unique only within its issuing state.
    UNIQUE (issuing_state, number)
);
-- Self-registration looks passports up by number alone.
CREATE INDEX passports_number_idx ON passports (number);
CREATE INDEX passports_person_idx ON passports (person_id, id);

CREATE TABLE fpr_cards (
    id          TEXT PRIMARY KEY,
    person_id   TEXT NOT NULL REFERENCES persons (id),
    number      TEXT NOT NULL UNIQUE,
    version     INTEGER NOT NULL CHECK (version IN (2017, 2023)),
    issue_date  TEXT NOT NULL,
    expiry_date TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('valid', 'cancelled', 'lost', 'replaced')),
    replaces_id TEXT REFERENCES fpr_cards (id),
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL
);
CREATE INDEX fpr_cards_person_idx ON fpr_cards (person_id, id);

-- +goose Down
DROP TABLE fpr_cards;
DROP TABLE passports;
DROP TABLE persons;
