-- +goose Up
-- The service seals renderings stored in the clear when it starts; this
-- keeps that look-up from reading the whole table once none are left.
CREATE INDEX attestation_files_unsealed_idx ON attestation_files (attestation_id, kind) WHERE NOT sealed;

-- +goose Down
DROP INDEX attestation_files_unsealed_idx;
