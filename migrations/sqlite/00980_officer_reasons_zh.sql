-- +goose Up
-- An officer's reason for suspending or revoking an e-document is read by
-- the holder in either language, like an application's public note: the
-- existing columns keep the English text, these the Chinese.
ALTER TABLE attestations ADD COLUMN suspension_reason_zh TEXT NOT NULL DEFAULT '';
ALTER TABLE attestations ADD COLUMN revocation_reason_zh TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE attestations DROP COLUMN revocation_reason_zh;
ALTER TABLE attestations DROP COLUMN suspension_reason_zh;
