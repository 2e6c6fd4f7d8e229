-- +goose Up
-- The audit trail is searched by who acted, newest first
-- (GET /api/v1/admin/audit?actor_id=…).
CREATE INDEX audit_events_actor_idx ON audit_events (actor_id, id);

-- +goose Down
DROP INDEX audit_events_actor_idx;
