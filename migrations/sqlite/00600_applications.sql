-- +goose Up
-- Visa and permit applications taken at a service centre, and the timeline
-- of their status changes. person_id and centre_id refer to the registry
-- and the directory, which are separate capabilities with their own
-- migrations; they are checked by the service when an application is
-- registered rather than by foreign keys, so neither migration order nor a
-- later archival of a centre can break this table.
CREATE TABLE applications (
    id              TEXT PRIMARY KEY,
    number          TEXT NOT NULL UNIQUE,
    person_id       TEXT NOT NULL,
    business_type   TEXT NOT NULL,
    centre_id       TEXT NOT NULL,
    appointment_id  TEXT,
    status          TEXT NOT NULL,
    submitted_at    DATETIME NOT NULL,
    processing_days INTEGER NOT NULL CHECK (processing_days > 0),
    deadline        TEXT NOT NULL,          -- YYYY-MM-DD in Asia/Shanghai
    registered_by   TEXT NOT NULL,
    created_at      DATETIME NOT NULL,
    updated_at      DATETIME NOT NULL
);
-- A resident's own list, newest first (ids are UUIDv7).
CREATE INDEX applications_person_idx ON applications (person_id, id);
-- Officers' lists by centre and status, and the overdue filter.
CREATE INDEX applications_centre_status_idx ON applications (centre_id, status, id);
CREATE INDEX applications_status_deadline_idx ON applications (status, deadline);

CREATE TABLE application_events (
    id             TEXT PRIMARY KEY,
    application_id TEXT NOT NULL REFERENCES applications (id),
    from_status    TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL,
    occurred_at    DATETIME NOT NULL,
    officer_id     TEXT NOT NULL,
    public_note_en TEXT NOT NULL DEFAULT '',
    public_note_zh TEXT NOT NULL DEFAULT '',
    internal_note  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX application_events_application_idx ON application_events (application_id, occurred_at, id);

-- +goose Down
DROP TABLE application_events;
DROP TABLE applications;
