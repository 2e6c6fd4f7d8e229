-- +goose Up
-- Appointments at service centres. Capacity is a hard guarantee kept by the
-- database: each bookable slot has a counter row in slot_bookings that a
-- booking takes with a conditional UPDATE, and a CHECK forbids booked from
-- ever passing capacity.

-- Slot length and capacity per centre and group of business types.
CREATE TABLE appointment_slot_groups (
    center_id    TEXT NOT NULL,
    name         TEXT NOT NULL,
    slot_minutes INTEGER NOT NULL CHECK (slot_minutes BETWEEN 5 AND 240),
    capacity     INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 500),
    updated_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (center_id, name)
);

-- Which group a business type belongs to at a centre; the key makes a
-- business belong to at most one group per centre.
CREATE TABLE appointment_slot_group_businesses (
    center_id  TEXT NOT NULL,
    business   TEXT NOT NULL,
    group_name TEXT NOT NULL,
    PRIMARY KEY (center_id, business),
    FOREIGN KEY (center_id, group_name) REFERENCES appointment_slot_groups (center_id, name) ON DELETE CASCADE
);

-- The booking window of a centre in days from today (Asia/Shanghai); a
-- centre without a row uses the service default (tomorrow to 14 days).
CREATE TABLE appointment_windows (
    center_id  TEXT PRIMARY KEY,
    from_days  INTEGER NOT NULL CHECK (from_days BETWEEN 0 AND 90),
    to_days    INTEGER NOT NULL CHECK (to_days BETWEEN 0 AND 90),
    updated_at TIMESTAMPTZ NOT NULL,
    CHECK (from_days <= to_days)
);

-- One counter per slot actually booked: created on first use, taken with
-- UPDATE … WHERE booked < capacity.
CREATE TABLE slot_bookings (
    center_id      TEXT NOT NULL,
    business_group TEXT NOT NULL,
    slot_start     TIMESTAMPTZ NOT NULL,
    capacity       INTEGER NOT NULL CHECK (capacity >= 0),
    booked         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (center_id, business_group, slot_start),
    CONSTRAINT slot_bookings_within_capacity CHECK (booked >= 0 AND booked <= capacity)
);

-- One row per person who ever booked: a booking locks it first, so one
-- person's concurrent bookings are serialised and their per-person rules
-- (one per business type, at most three active) are counted safely.
CREATE TABLE appointment_persons (
    person_id  TEXT PRIMARY KEY,
    touched_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE appointments (
    id                TEXT PRIMARY KEY,
    person_id         TEXT NOT NULL,
    center_id         TEXT NOT NULL,
    business          TEXT NOT NULL,
    business_group    TEXT NOT NULL,
    slot_start        TIMESTAMPTZ NOT NULL,
    slot_end          TIMESTAMPTZ NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('booked', 'cancelled', 'attended', 'no_show')),
    confirmation_code TEXT NOT NULL UNIQUE,
    booked_by         TEXT NOT NULL,
    sequence          INTEGER NOT NULL DEFAULT 0,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL,
    cancelled_at      TIMESTAMPTZ,
    cancel_reason_en  TEXT NOT NULL DEFAULT '',
    cancel_reason_zh  TEXT NOT NULL DEFAULT '',
    CHECK (slot_end > slot_start)
);
CREATE INDEX appointments_person_idx ON appointments (person_id, id);
CREATE INDEX appointments_person_active_idx ON appointments (person_id, business) WHERE status = 'booked';
CREATE INDEX appointments_center_slot_idx ON appointments (center_id, slot_start, id);

-- A retried POST with the same Idempotency-Key returns the first result.
CREATE TABLE appointment_idempotency (
    person_id      TEXT NOT NULL,
    idem_key       TEXT NOT NULL,
    request_hash   TEXT NOT NULL,
    appointment_id TEXT NOT NULL REFERENCES appointments (id),
    created_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (person_id, idem_key)
);

-- +goose Down
DROP TABLE appointment_idempotency;
DROP TABLE appointments;
DROP TABLE appointment_persons;
DROP TABLE slot_bookings;
DROP TABLE appointment_windows;
DROP TABLE appointment_slot_group_businesses;
DROP TABLE appointment_slot_groups;
