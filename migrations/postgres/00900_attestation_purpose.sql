-- +goose Up
-- A resident issues an e-document for one purpose: the sector of the
-- relying party that will read it. It bounds how many documents a resident
-- holds per purpose, and lets the signed claims be cut to what that sector
-- needs. Documents issued before purposes existed keep an empty purpose.
ALTER TABLE attestations ADD COLUMN purpose TEXT NOT NULL DEFAULT ''
    CHECK (purpose IN ('', 'bank', 'tax', 'telecom', 'social_security'));

-- +goose Down
ALTER TABLE attestations DROP COLUMN purpose;
