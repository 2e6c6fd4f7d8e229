-- +goose Up
-- A password an officer sets for a resident who forgot theirs (or an admin
-- for a staff account) is temporary: it opens no session and only lets its
-- holder choose their own password until password_expires_at. NULL means
-- the account's own password.
ALTER TABLE accounts ADD COLUMN password_expires_at DATETIME;

-- +goose Down
ALTER TABLE accounts DROP COLUMN password_expires_at;
