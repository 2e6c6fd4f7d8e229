-- +goose Up
-- An admin can disable an account (an officer who left, a resident account
-- taken over): it cannot sign in and its sessions end. Nothing is deleted,
-- so the audit trail keeps naming it.
ALTER TABLE accounts ADD COLUMN disabled_at DATETIME;

-- +goose Down
ALTER TABLE accounts DROP COLUMN disabled_at;
