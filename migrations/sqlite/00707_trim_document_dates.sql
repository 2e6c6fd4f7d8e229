-- +goose Up
-- Passport and FPR card dates were checked without surrounding spaces but
-- stored as typed, so such a date read back as no date at all (a valid
-- passport showed as expired). A stored date is exactly YYYY-MM-DD: those
-- that are longer lose the white space around them, which leaves the date
-- that was checked when the row was written.
UPDATE passports SET issue_date = trim(issue_date, char(9, 10, 11, 12, 13, 32, 133, 160, 5760, 8192, 8193, 8194, 8195, 8196,
    8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288))
WHERE length(issue_date) <> 10;
UPDATE passports SET expiry_date = trim(expiry_date, char(9, 10, 11, 12, 13, 32, 133, 160, 5760, 8192, 8193, 8194, 8195, 8196,
    8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288))
WHERE length(expiry_date) <> 10;
UPDATE fpr_cards SET issue_date = trim(issue_date, char(9, 10, 11, 12, 13, 32, 133, 160, 5760, 8192, 8193, 8194, 8195, 8196,
    8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288))
WHERE length(issue_date) <> 10;
UPDATE fpr_cards SET expiry_date = trim(expiry_date, char(9, 10, 11, 12, 13, 32, 133, 160, 5760, 8192, 8193, 8194, 8195, 8196,
    8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288))
WHERE length(expiry_date) <> 10;

-- +goose Down
-- The trimmed dates are the ones that were meant; nothing to undo.
SELECT 1;
