-- +goose Up
-- A failed sign-in is counted before the password is checked, and the
-- count of an account, like that of a username without one, starts again
-- once no attempt failed for the longest lock time: both lock alike, so a
-- lock says nothing about whether an account exists.
ALTER TABLE accounts ADD COLUMN last_failed_at DATETIME;

-- +goose Down
ALTER TABLE accounts DROP COLUMN last_failed_at;
