-- +goose Up
-- Assistance grants: a helper's account may act for a principal, the
-- registry person whose records are read or changed. A grant between two
-- accounts (kind 'account') is invited by the principal and accepted by the
-- helper; a grant for a dependant without an account (kind 'dependant') is
-- recorded by an officer, or requested by the helper and decided by an
-- officer. A request whose details matched nobody in the registry keeps
-- principal_person_id empty until an officer refuses it, so the helper
-- learns nothing of who is registered.
--
-- Only the decided states are stored (pending, active, ended, refused);
-- expiry (expires_at) and a minor's coming of age (lapses_on, the civil
-- date the principal turns 18, cleared by the now-adult's confirmation)
-- are read against the clock on every request, so they take effect with
-- no job running.
CREATE TABLE assistance_grants (
    id                   TEXT PRIMARY KEY,
    kind                 TEXT NOT NULL CHECK (kind IN ('account', 'dependant')),
    principal_person_id  TEXT REFERENCES persons (id),
    helper_account_id    TEXT NOT NULL REFERENCES accounts (id),
    helper_username      TEXT NOT NULL,
    scopes               TEXT NOT NULL,
    relationship         TEXT NOT NULL DEFAULT ''
        CHECK (relationship IN ('', 'parent', 'guardian', 'child', 'spouse', 'relative', 'friend')),
    evidence             TEXT NOT NULL DEFAULT '',
    state                TEXT NOT NULL CHECK (state IN ('pending', 'active', 'ended', 'refused')),
    expires_at           DATETIME,
    lapses_on            TEXT,
    confirmed_at         DATETIME,
    created_by           TEXT NOT NULL,
    created_at           DATETIME NOT NULL,
    updated_at           DATETIME NOT NULL,
    accepted_at          DATETIME,
    decided_by           TEXT NOT NULL DEFAULT '',
    decided_at           DATETIME,
    refusal_reason_en    TEXT NOT NULL DEFAULT '',
    refusal_reason_zh    TEXT NOT NULL DEFAULT '',
    ended_by             TEXT NOT NULL DEFAULT '',
    ended_at             DATETIME,
    CHECK (state <> 'active' OR principal_person_id IS NOT NULL)
);
CREATE INDEX assistance_grants_helper_idx ON assistance_grants (helper_account_id, principal_person_id);
CREATE INDEX assistance_grants_principal_idx ON assistance_grants (principal_person_id);
CREATE INDEX assistance_grants_state_idx ON assistance_grants (state, id);

-- Every request a helper made for a principal, allowed or not, as the
-- principal's own view of what was done in their name. The audit trail
-- keeps the changes themselves (actor and on_behalf_of); this keeps the
-- reads too, and names the helper as the principal knew them.
CREATE TABLE assistance_activity (
    id                TEXT PRIMARY KEY,
    grant_id          TEXT NOT NULL REFERENCES assistance_grants (id),
    person_id         TEXT NOT NULL REFERENCES persons (id),
    helper_account_id TEXT NOT NULL,
    helper_username   TEXT NOT NULL,
    action            TEXT NOT NULL,
    scope             TEXT NOT NULL,
    ref               TEXT NOT NULL DEFAULT '',
    status            INTEGER NOT NULL,
    request_id        TEXT NOT NULL DEFAULT '',
    occurred_at       DATETIME NOT NULL
);
CREATE INDEX assistance_activity_person_idx ON assistance_activity (person_id, id);

-- +goose Down
DROP TABLE assistance_activity;
DROP TABLE assistance_grants;
