-- +goose Up
-- Officers act on issued e-documents: they suspend one while a case is
-- examined (a suspected fraud, a court order) and lift the suspension, or
-- revoke it for good. The state stays 'active' while suspended, so the
-- suspension is a separate mark; the reasons are shown to the holder.
ALTER TABLE attestations ADD COLUMN suspended_at DATETIME;
ALTER TABLE attestations ADD COLUMN suspension_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE attestations ADD COLUMN revocation_reason TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE attestations DROP COLUMN revocation_reason;
ALTER TABLE attestations DROP COLUMN suspension_reason;
ALTER TABLE attestations DROP COLUMN suspended_at;
