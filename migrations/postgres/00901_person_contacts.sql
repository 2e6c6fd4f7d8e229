-- +goose Up
-- The contact on record for a person: where a one-time enrolment code is
-- sent, so that an account can be opened only by someone who can read it,
-- not by anyone holding a copy of the person's documents. Mobile numbers
-- are stored in E.164 form (+ and digits), e-mail addresses as given with
-- the domain in lower case; empty means none on record.
ALTER TABLE persons ADD COLUMN mobile TEXT NOT NULL DEFAULT '';
ALTER TABLE persons ADD COLUMN email TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE persons DROP COLUMN email;
ALTER TABLE persons DROP COLUMN mobile;
