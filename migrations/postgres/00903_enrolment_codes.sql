-- +goose Up
-- One-time enrolment codes: a resident opens an account with one, proving
-- they can read the contact on record or met an officer at a counter,
-- which a copy of their documents does not prove. A code is 16 symbols;
-- the first 5 (locator) find its row, the whole code is kept only as a
-- salted SHA-256. A code is live until it is used, burned (too many wrong
-- tries, or superseded by a newer code for the same person) or expired.
CREATE TABLE enrolment_codes (
    id         TEXT PRIMARY KEY,
    person_id  TEXT NOT NULL REFERENCES persons (id),
    locator    TEXT NOT NULL,
    salt       BYTEA NOT NULL,
    code_hash  BYTEA NOT NULL,
    channel    TEXT NOT NULL CHECK (channel IN ('sms', 'email', 'counter')),
    issued_by  TEXT NOT NULL DEFAULT '',
    attempts   INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ,
    burned_at  TIMESTAMPTZ
);
CREATE INDEX enrolment_codes_locator_idx ON enrolment_codes (locator);
CREATE INDEX enrolment_codes_person_idx ON enrolment_codes (person_id, created_at);

-- +goose Down
DROP TABLE enrolment_codes;
