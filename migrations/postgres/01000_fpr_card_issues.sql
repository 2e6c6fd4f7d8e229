-- +goose Up
-- A 2023 FPR card keeps its number for life: a renewal (on expiry) and a
-- replacement (loss, theft, damage) issue a new card with the same number
-- and new dates. Each row of fpr_cards is now one issue of a card: issue_no
-- counts the issues of a number (1 for the first) and issue_reason says
-- why the card was issued. The number is unique per issue, so two persons
-- can never both be given a number's first issue, and code that does not
-- know the columns inserts issue 1 and is refused a number on record, as
-- before. Existing rows are each the only issue of their number.
-- Numbered after the migrations that add columns to these tables, as the
-- SQLite version, which rebuilds them, must be.
ALTER TABLE fpr_cards ADD COLUMN issue_no INTEGER NOT NULL DEFAULT 1 CHECK (issue_no >= 1);
ALTER TABLE fpr_cards ADD COLUMN issue_reason TEXT NOT NULL DEFAULT 'issue'
    CHECK (issue_reason IN ('issue', 'renewal', 'replacement'));
ALTER TABLE fpr_cards ADD CONSTRAINT fpr_cards_number_issue_key UNIQUE (number, issue_no);
ALTER TABLE fpr_cards DROP CONSTRAINT fpr_cards_number_key;
-- A passport or card may be reported stolen as well as lost.
ALTER TABLE fpr_cards DROP CONSTRAINT fpr_cards_status_check;
ALTER TABLE fpr_cards ADD CONSTRAINT fpr_cards_status_check
    CHECK (status IN ('valid', 'cancelled', 'lost', 'stolen', 'replaced'));
ALTER TABLE passports DROP CONSTRAINT passports_status_check;
ALTER TABLE passports ADD CONSTRAINT passports_status_check
    CHECK (status IN ('valid', 'expired', 'lost', 'stolen', 'replaced'));

-- +goose Down
-- Refused while a number has more than one issue or a document is
-- reported stolen: the older schema cannot hold them.
ALTER TABLE passports DROP CONSTRAINT passports_status_check;
ALTER TABLE passports ADD CONSTRAINT passports_status_check
    CHECK (status IN ('valid', 'expired', 'lost', 'replaced'));
ALTER TABLE fpr_cards DROP CONSTRAINT fpr_cards_status_check;
ALTER TABLE fpr_cards ADD CONSTRAINT fpr_cards_status_check
    CHECK (status IN ('valid', 'cancelled', 'lost', 'replaced'));
ALTER TABLE fpr_cards ADD CONSTRAINT fpr_cards_number_key UNIQUE (number);
ALTER TABLE fpr_cards DROP CONSTRAINT fpr_cards_number_issue_key;
ALTER TABLE fpr_cards DROP COLUMN issue_reason;
ALTER TABLE fpr_cards DROP COLUMN issue_no;
