-- +goose Up
-- Issued e-documents. The verification code is kept only as a salted
-- SHA-256 hash; the passport and card numbers are copied from the registry
-- at issue so the online check can tell whether they were superseded.
CREATE TABLE attestations (
    id              TEXT PRIMARY KEY,
    person_id       TEXT NOT NULL,
    document_number TEXT NOT NULL UNIQUE,
    kid             TEXT NOT NULL,
    token           TEXT NOT NULL,
    qr_text         TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('active', 'revoked')),
    status_list_id  TEXT NOT NULL REFERENCES status_lists (id),
    status_idx      INTEGER NOT NULL,
    code_salt       BLOB NOT NULL,
    code_hash       BLOB NOT NULL,
    passport_number TEXT NOT NULL,
    card_number     TEXT NOT NULL,
    issued_at       DATETIME NOT NULL,
    expires_at      DATETIME NOT NULL,
    revoked_at      DATETIME,
    UNIQUE (status_list_id, status_idx)
);
CREATE INDEX attestations_person_idx ON attestations (person_id, id);

-- Rendered files (PDF, QR PNG, QR SVG), made once and served as stored.
CREATE TABLE attestation_files (
    attestation_id TEXT NOT NULL REFERENCES attestations (id),
    kind           TEXT NOT NULL CHECK (kind IN ('pdf', 'png', 'svg')),
    content        BLOB NOT NULL,
    created_at     DATETIME NOT NULL,
    PRIMARY KEY (attestation_id, kind)
);

-- Banks, tax offices, telecom carriers and social-security bodies that call
-- the verify API. The API key is stored as SHA-256; key_prefix is its
-- public, unique lookup part.
CREATE TABLE relying_parties (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    sector      TEXT NOT NULL CHECK (sector IN ('bank', 'tax', 'telecom', 'social_security')),
    key_prefix  TEXT NOT NULL UNIQUE,
    key_hash    BLOB NOT NULL,
    created_at  DATETIME NOT NULL,
    rotated_at  DATETIME,
    disabled_at DATETIME
);

-- One row per answered verification, written before the answer is sent.
-- document_number is empty when the input could not be parsed.
CREATE TABLE verifications (
    id               TEXT PRIMARY KEY,
    relying_party_id TEXT NOT NULL REFERENCES relying_parties (id),
    party_name       TEXT NOT NULL,
    sector           TEXT NOT NULL,
    attestation_id   TEXT REFERENCES attestations (id),
    document_number  TEXT NOT NULL DEFAULT '',
    method           TEXT NOT NULL CHECK (method IN ('qr', 'token', 'code')),
    result           TEXT NOT NULL CHECK (result IN ('valid', 'invalid', 'unknown')),
    failed_check     TEXT NOT NULL DEFAULT '',
    checked_at       DATETIME NOT NULL,
    request_id       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX verifications_attestation_idx ON verifications (attestation_id, id);
CREATE INDEX verifications_party_idx ON verifications (relying_party_id, id);

-- +goose Down
DROP TABLE verifications;
DROP TABLE relying_parties;
DROP TABLE attestation_files;
DROP TABLE attestations;
