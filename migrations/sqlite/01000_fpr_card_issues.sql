-- +goose Up
-- A 2023 FPR card keeps its number for life: a renewal (on expiry) and a
-- replacement (loss, theft, damage) issue a new card with the same number
-- and new dates. Each row of fpr_cards is now one issue of a card: issue_no
-- counts the issues of a number (1 for the first) and issue_reason says
-- why the card was issued. The number is unique per issue, so two persons
-- can never both be given a number's first issue, and code that does not
-- know the columns inserts issue 1 and is refused a number on record, as
-- before. Existing rows are each the only issue of their number.
--
-- SQLite cannot drop a UNIQUE or CHECK constraint, so the two tables are
-- rebuilt with every row and column kept. A rebuild names every column, so
-- it is numbered after every migration that adds one to these tables
-- (00981, printed_name): applied out of order on a database that has
-- those, it must find them. The old table is renamed first,
-- which points its own replaces_id at the old name; only its own rows refer
-- to it, so dropping it once copied leaves no dangling key.
ALTER TABLE fpr_cards RENAME TO fpr_cards_old;
DROP INDEX fpr_cards_person_idx;
CREATE TABLE fpr_cards (
    id           TEXT PRIMARY KEY,
    person_id    TEXT NOT NULL REFERENCES persons (id),
    number       TEXT NOT NULL,
    version      INTEGER NOT NULL CHECK (version IN (2017, 2023)),
    issue_date   TEXT NOT NULL,
    expiry_date  TEXT NOT NULL,
    -- A passport or card may be reported stolen as well as lost.
    status       TEXT NOT NULL CHECK (status IN ('valid', 'cancelled', 'lost', 'stolen', 'replaced')),
    replaces_id  TEXT REFERENCES fpr_cards (id),
    created_at   DATETIME NOT NULL,
    updated_at   DATETIME NOT NULL,
    printed_name TEXT NOT NULL DEFAULT '',
    issue_no     INTEGER NOT NULL DEFAULT 1 CHECK (issue_no >= 1),
    issue_reason TEXT NOT NULL DEFAULT 'issue' CHECK (issue_reason IN ('issue', 'renewal', 'replacement')),
    UNIQUE (number, issue_no)
);
INSERT INTO fpr_cards (id, person_id, number, version, issue_date, expiry_date, status, replaces_id, created_at, updated_at,
    printed_name)
SELECT id, person_id, number, version, issue_date, expiry_date, status, replaces_id, created_at, updated_at,
    printed_name FROM fpr_cards_old;
DROP TABLE fpr_cards_old;
CREATE INDEX fpr_cards_person_idx ON fpr_cards (person_id, id);

ALTER TABLE passports RENAME TO passports_old;
DROP INDEX passports_number_idx;
DROP INDEX passports_person_idx;
CREATE TABLE passports (
    id            TEXT PRIMARY KEY,
    person_id     TEXT NOT NULL REFERENCES persons (id),
    number        TEXT NOT NULL,
    issuing_state TEXT NOT NULL,
    issue_date    TEXT NOT NULL,
    expiry_date   TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('valid', 'expired', 'lost', 'stolen', 'replaced')),
    mrz           TEXT,
    replaces_id   TEXT REFERENCES passports (id),
    created_at    DATETIME NOT NULL,
    updated_at    DATETIME NOT NULL,
    -- A passport number is unique only within its issuing state.
    UNIQUE (issuing_state, number)
);
INSERT INTO passports SELECT id, person_id, number, issuing_state, issue_date, expiry_date, status, mrz,
    replaces_id, created_at, updated_at FROM passports_old;
DROP TABLE passports_old;
-- Self-registration looks passports up by number alone.
CREATE INDEX passports_number_idx ON passports (number);
CREATE INDEX passports_person_idx ON passports (person_id, id);

-- +goose Down
-- Refused while a number has more than one issue or a document is
-- reported stolen: the older schema cannot hold them.
ALTER TABLE passports RENAME TO passports_new;
DROP INDEX passports_number_idx;
DROP INDEX passports_person_idx;
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
    UNIQUE (issuing_state, number)
);
INSERT INTO passports SELECT id, person_id, number, issuing_state, issue_date, expiry_date, status, mrz,
    replaces_id, created_at, updated_at FROM passports_new;
DROP TABLE passports_new;
CREATE INDEX passports_number_idx ON passports (number);
CREATE INDEX passports_person_idx ON passports (person_id, id);

ALTER TABLE fpr_cards RENAME TO fpr_cards_new;
DROP INDEX fpr_cards_person_idx;
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
    updated_at  DATETIME NOT NULL,
    printed_name TEXT NOT NULL DEFAULT ''
);
INSERT INTO fpr_cards SELECT id, person_id, number, version, issue_date, expiry_date, status, replaces_id,
    created_at, updated_at, printed_name FROM fpr_cards_new;
DROP TABLE fpr_cards_new;
CREATE INDEX fpr_cards_person_idx ON fpr_cards (person_id, id);
