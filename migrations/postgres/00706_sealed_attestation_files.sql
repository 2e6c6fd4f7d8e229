-- +goose Up
-- Stored renderings are sealed (AES-256-GCM under a key derived from the
-- KEK): the kept PDF prints the holder's verification code, which must
-- exist in the clear nowhere but on the holder's copy. Rows written before
-- this version are sealed by the service when it starts.
ALTER TABLE attestation_files ADD COLUMN sealed BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE attestation_files DROP COLUMN sealed;
