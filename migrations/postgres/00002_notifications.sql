-- +goose Up
-- Messages the service leaves for a person (appointment cancelled by a
-- closure, application status changed), in both languages.
CREATE TABLE notifications (
    id         TEXT PRIMARY KEY,
    person_id  TEXT NOT NULL,
    kind       TEXT NOT NULL,
    subject_en TEXT NOT NULL,
    subject_zh TEXT NOT NULL,
    body_en    TEXT NOT NULL,
    body_zh    TEXT NOT NULL,
    ref        TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    read_at    TIMESTAMPTZ
);
CREATE INDEX notifications_person_idx ON notifications (person_id, id);

-- +goose Down
DROP TABLE notifications;
