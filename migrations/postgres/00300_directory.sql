-- +goose Up
-- Exit-entry service centres, their weekly hours, their own closures and the
-- national working-day calendar (public holidays and make-up working days by
-- State Council notice). Officers maintain all of it; reference data is
-- seeded at startup from versioned files and never overwrites their edits.
CREATE TABLE service_centers (
    id          TEXT PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name_en     TEXT NOT NULL,
    name_zh     TEXT NOT NULL,
    address_en  TEXT NOT NULL,
    address_zh  TEXT NOT NULL,
    province_en TEXT NOT NULL,
    province_zh TEXT NOT NULL,
    city_en     TEXT NOT NULL,
    city_zh     TEXT NOT NULL,
    district_en TEXT NOT NULL DEFAULT '',
    district_zh TEXT NOT NULL DEFAULT '',
    phones      TEXT NOT NULL DEFAULT '[]',
    email       TEXT NOT NULL DEFAULT '',
    website     TEXT NOT NULL DEFAULT '',
    latitude    DOUBLE PRECISION NOT NULL,
    longitude   DOUBLE PRECISION NOT NULL,
    businesses  TEXT NOT NULL DEFAULT '[]',
    note_en     TEXT NOT NULL DEFAULT '',
    note_zh     TEXT NOT NULL DEFAULT '',
    demo        BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);

-- weekday is ISO: 1 Monday … 7 Sunday. Times are HH:MM in Asia/Shanghai.
CREATE TABLE service_center_hours (
    id        TEXT PRIMARY KEY,
    center_id TEXT NOT NULL REFERENCES service_centers (id) ON DELETE CASCADE,
    weekday   INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    opens     TEXT NOT NULL,
    closes    TEXT NOT NULL
);
CREATE INDEX service_center_hours_center_idx ON service_center_hours (center_id, weekday);

CREATE TABLE service_center_closures (
    id         TEXT PRIMARY KEY,
    center_id  TEXT NOT NULL REFERENCES service_centers (id) ON DELETE CASCADE,
    day        TEXT NOT NULL,
    reason_en  TEXT NOT NULL,
    reason_zh  TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (center_id, day)
);

-- kind is 'holiday' or 'makeup'. provisional marks days not yet confirmed
-- by a State Council notice.
CREATE TABLE calendar_days (
    day         TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('holiday', 'makeup')),
    name_en     TEXT NOT NULL,
    name_zh     TEXT NOT NULL,
    provisional BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at  TIMESTAMPTZ NOT NULL
);

-- Which reference data files have been loaded, so the seed step runs each
-- version once and an officer's later deletion is not undone at restart.
CREATE TABLE refdata_loads (
    name      TEXT NOT NULL,
    version   INTEGER NOT NULL,
    loaded_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (name, version)
);

-- +goose Down
DROP TABLE refdata_loads;
DROP TABLE calendar_days;
DROP TABLE service_center_closures;
DROP TABLE service_center_hours;
DROP TABLE service_centers;
