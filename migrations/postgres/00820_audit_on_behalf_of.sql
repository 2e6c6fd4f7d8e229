-- +goose Up
-- A helper may act for a principal (a parent booking for a child): the
-- trail records both, the account that acted in actor_id and the person it
-- acted for here, empty when the account acted for itself. Existing rows
-- were all made by accounts acting for themselves, so '' is true of them,
-- and code that does not know the column still inserts valid rows.
ALTER TABLE audit_events ADD COLUMN on_behalf_of TEXT NOT NULL DEFAULT '';
-- Everything done for one principal, newest first
-- (GET /api/v1/admin/audit?on_behalf_of=…).
CREATE INDEX audit_events_on_behalf_of_idx ON audit_events (on_behalf_of, id);

-- +goose Down
DROP INDEX audit_events_on_behalf_of_idx;
ALTER TABLE audit_events DROP COLUMN on_behalf_of;
