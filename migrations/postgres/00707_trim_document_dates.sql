-- +goose Up
-- Passport and FPR card dates were checked without surrounding spaces but
-- stored as typed, so such a date read back as no date at all (a valid
-- passport showed as expired). A stored date is exactly YYYY-MM-DD: those
-- that are longer lose the white space around them, which leaves the date
-- that was checked when the row was written.
UPDATE passports SET issue_date = btrim(issue_date, chr(9) || chr(10) || chr(11) || chr(12) || chr(13) || chr(32) ||
    chr(133) || chr(160) || chr(5760) || chr(8192) || chr(8193) || chr(8194) || chr(8195) || chr(8196) || chr(8197) ||
    chr(8198) || chr(8199) || chr(8200) || chr(8201) || chr(8202) || chr(8232) || chr(8233) || chr(8239) || chr(8287) ||
    chr(12288))
WHERE length(issue_date) <> 10;
UPDATE passports SET expiry_date = btrim(expiry_date, chr(9) || chr(10) || chr(11) || chr(12) || chr(13) || chr(32) ||
    chr(133) || chr(160) || chr(5760) || chr(8192) || chr(8193) || chr(8194) || chr(8195) || chr(8196) || chr(8197) ||
    chr(8198) || chr(8199) || chr(8200) || chr(8201) || chr(8202) || chr(8232) || chr(8233) || chr(8239) || chr(8287) ||
    chr(12288))
WHERE length(expiry_date) <> 10;
UPDATE fpr_cards SET issue_date = btrim(issue_date, chr(9) || chr(10) || chr(11) || chr(12) || chr(13) || chr(32) ||
    chr(133) || chr(160) || chr(5760) || chr(8192) || chr(8193) || chr(8194) || chr(8195) || chr(8196) || chr(8197) ||
    chr(8198) || chr(8199) || chr(8200) || chr(8201) || chr(8202) || chr(8232) || chr(8233) || chr(8239) || chr(8287) ||
    chr(12288))
WHERE length(issue_date) <> 10;
UPDATE fpr_cards SET expiry_date = btrim(expiry_date, chr(9) || chr(10) || chr(11) || chr(12) || chr(13) || chr(32) ||
    chr(133) || chr(160) || chr(5760) || chr(8192) || chr(8193) || chr(8194) || chr(8195) || chr(8196) || chr(8197) ||
    chr(8198) || chr(8199) || chr(8200) || chr(8201) || chr(8202) || chr(8232) || chr(8233) || chr(8239) || chr(8287) ||
    chr(12288))
WHERE length(expiry_date) <> 10;

-- +goose Down
-- The trimmed dates are the ones that were meant; nothing to undo.
SELECT 1;
