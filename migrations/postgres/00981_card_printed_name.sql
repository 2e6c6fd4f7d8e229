-- +goose Up
-- The name as printed on an FPR card, kept only where it differs from the
-- MRZ name of the passport (diacritics, word order, a Chinese name's
-- romanization): counter staff compare it with the card in hand.
ALTER TABLE fpr_cards ADD COLUMN printed_name TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE fpr_cards DROP COLUMN printed_name;
