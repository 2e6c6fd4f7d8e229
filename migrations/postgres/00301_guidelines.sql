-- +goose Up
-- Application guidelines, one row per published version of a business
-- type's guideline. Versions are only ever added: the guideline in force on
-- a day is the highest version whose effective_from is on or before it, and
-- every earlier version stays readable. content is the structured guideline
-- (materials, requirements, steps, methods, fees, deadlines) as JSON.
CREATE TABLE guideline_versions (
    id             TEXT PRIMARY KEY,
    business       TEXT NOT NULL,
    version        INTEGER NOT NULL,
    effective_from TEXT NOT NULL,
    content        TEXT NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    created_by     TEXT NOT NULL,
    UNIQUE (business, version)
);

-- +goose Down
DROP TABLE guideline_versions;
