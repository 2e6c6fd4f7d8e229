-- +goose Up
-- Chinese helpers. The administration holds no registry record of Chinese
-- citizens, so an officer who has seen a helper's resident identity card
-- at a counter records what enrolment needs and no more: the name as on
-- the card, the contact a code goes to, and the 18-character resident
-- identity number only as an HMAC-SHA256 under a secret pepper kept out of
-- the database (derived from the key-encryption key), plus its last four
-- characters for staff to read back. The hash finds the record again when
-- the helper asks for a code or an officer looks them up; a copy of the
-- table alone cannot be searched for a number, the whole space of which is
-- small enough to try without the pepper. No birth date is kept: the
-- number held one and a minor was refused before anything was stored.
CREATE TABLE helper_identities (
    id                TEXT PRIMARY KEY,
    name              TEXT NOT NULL,
    resident_id_hash  TEXT NOT NULL UNIQUE,
    resident_id_last4 TEXT NOT NULL,
    mobile            TEXT NOT NULL DEFAULT '',
    email             TEXT NOT NULL DEFAULT '',
    recorded_by       TEXT NOT NULL,
    created_at        DATETIME NOT NULL,
    updated_at        DATETIME NOT NULL,
    CHECK (mobile <> '' OR email <> '')
);

-- An account is a resident's (one registry person), a helper's (one
-- recorded helper identity) or staff's (neither); an enrolment code is for
-- a registry person or a recorded helper. SQLite cannot change a CHECK, so
-- accounts and enrolment_codes are rebuilt with every row and column, and
-- with them the tables whose foreign keys name accounts (sessions,
-- assistance_grants) and assistance_grants (assistance_activity): the new
-- tables are filled, the old ones dropped children first, so no key ever
-- dangles with foreign keys on, and the renames carry the new tables' keys
-- over to the old names. A rebuild names every column, so it is numbered
-- after every migration that adds one to these tables. assistance_grants
-- gains ending_noticed_at: when the helper was told that the grant is
-- about to expire or lapse, so that they are told once.
CREATE TABLE accounts_new (
    id                  TEXT PRIMARY KEY,
    username            TEXT NOT NULL UNIQUE,
    password_hash       TEXT NOT NULL,
    role                TEXT NOT NULL CHECK (role IN ('resident', 'helper', 'officer', 'admin')),
    person_id           TEXT UNIQUE REFERENCES persons (id),
    failed_logins       INTEGER NOT NULL DEFAULT 0,
    locked_until        DATETIME,
    created_at          DATETIME NOT NULL,
    updated_at          DATETIME NOT NULL,
    disabled_at         DATETIME,
    password_expires_at DATETIME,
    last_failed_at      DATETIME,
    helper_id           TEXT UNIQUE REFERENCES helper_identities (id),
    CHECK ((role = 'resident') = (person_id IS NOT NULL)),
    CHECK ((role = 'helper') = (helper_id IS NOT NULL))
);
INSERT INTO accounts_new (id, username, password_hash, role, person_id, failed_logins, locked_until, created_at, updated_at, disabled_at, password_expires_at, last_failed_at)
SELECT id, username, password_hash, role, person_id, failed_logins, locked_until, created_at, updated_at, disabled_at, password_expires_at, last_failed_at FROM accounts;
CREATE TABLE sessions_new (
    token_hash TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts_new (id),
    created_at DATETIME NOT NULL,
    expires_at DATETIME NOT NULL,
    revoked_at DATETIME
);
INSERT INTO sessions_new (token_hash, account_id, created_at, expires_at, revoked_at) SELECT token_hash, account_id, created_at, expires_at, revoked_at FROM sessions;
CREATE TABLE assistance_grants_new (
    id                   TEXT PRIMARY KEY,
    kind                 TEXT NOT NULL CHECK (kind IN ('account', 'dependant')),
    principal_person_id  TEXT REFERENCES persons (id),
    helper_account_id    TEXT NOT NULL REFERENCES accounts_new (id),
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
    ending_noticed_at    DATETIME,
    CHECK (state <> 'active' OR principal_person_id IS NOT NULL)
);
INSERT INTO assistance_grants_new (id, kind, principal_person_id, helper_account_id, helper_username, scopes, relationship, evidence, state, expires_at, lapses_on, confirmed_at, created_by, created_at, updated_at, accepted_at, decided_by, decided_at, refusal_reason_en, refusal_reason_zh, ended_by, ended_at)
SELECT id, kind, principal_person_id, helper_account_id, helper_username, scopes, relationship, evidence, state, expires_at, lapses_on, confirmed_at, created_by, created_at, updated_at, accepted_at, decided_by, decided_at, refusal_reason_en, refusal_reason_zh, ended_by, ended_at FROM assistance_grants;
CREATE TABLE assistance_activity_new (
    id                TEXT PRIMARY KEY,
    grant_id          TEXT NOT NULL REFERENCES assistance_grants_new (id),
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
INSERT INTO assistance_activity_new (id, grant_id, person_id, helper_account_id, helper_username, action, scope, ref, status, request_id, occurred_at)
SELECT id, grant_id, person_id, helper_account_id, helper_username, action, scope, ref, status, request_id, occurred_at FROM assistance_activity;
CREATE TABLE enrolment_codes_new (
    id         TEXT PRIMARY KEY,
    person_id  TEXT REFERENCES persons (id),
    locator    TEXT NOT NULL,
    salt       BLOB NOT NULL,
    code_hash  BLOB NOT NULL,
    channel    TEXT NOT NULL CHECK (channel IN ('sms', 'email', 'counter')),
    issued_by  TEXT NOT NULL DEFAULT '',
    attempts   INTEGER NOT NULL DEFAULT 0,
    created_at DATETIME NOT NULL,
    expires_at DATETIME NOT NULL,
    used_at    DATETIME,
    burned_at  DATETIME,
    helper_id  TEXT REFERENCES helper_identities (id),
    CHECK ((person_id IS NULL) <> (helper_id IS NULL))
);
INSERT INTO enrolment_codes_new (id, person_id, locator, salt, code_hash, channel, issued_by, attempts, created_at, expires_at, used_at, burned_at)
SELECT id, person_id, locator, salt, code_hash, channel, issued_by, attempts, created_at, expires_at, used_at, burned_at FROM enrolment_codes;

DROP TABLE assistance_activity;
DROP TABLE assistance_grants;
DROP TABLE sessions;
DROP TABLE accounts;
DROP TABLE enrolment_codes;
ALTER TABLE accounts_new RENAME TO accounts;
ALTER TABLE sessions_new RENAME TO sessions;
ALTER TABLE assistance_grants_new RENAME TO assistance_grants;
ALTER TABLE assistance_activity_new RENAME TO assistance_activity;
ALTER TABLE enrolment_codes_new RENAME TO enrolment_codes;
CREATE INDEX sessions_account_idx ON sessions (account_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);
CREATE INDEX assistance_grants_helper_idx ON assistance_grants (helper_account_id, principal_person_id);
CREATE INDEX assistance_grants_principal_idx ON assistance_grants (principal_person_id);
CREATE INDEX assistance_grants_state_idx ON assistance_grants (state, id);
CREATE INDEX assistance_activity_person_idx ON assistance_activity (person_id, id);
CREATE INDEX enrolment_codes_locator_idx ON enrolment_codes (locator);
CREATE INDEX enrolment_codes_person_idx ON enrolment_codes (person_id, created_at);
CREATE INDEX enrolment_codes_helper_idx ON enrolment_codes (helper_id, created_at);

-- A notice may be addressed to an account rather than a person: a helper
-- learns of the grants they hold, and a Chinese helper has no person.
-- person_id is '' on such a notice.
ALTER TABLE notifications ADD COLUMN account_id TEXT NOT NULL DEFAULT '';
CREATE INDEX notifications_account_idx ON notifications (account_id, id);

-- +goose Down
-- Refused while a helper account exists: the older schema cannot hold it.
-- Codes for helpers (short-lived), notices addressed to accounts and the
-- record of which grants' helpers were told of their end go.
DROP INDEX notifications_account_idx;
DELETE FROM notifications WHERE person_id = '';
ALTER TABLE notifications DROP COLUMN account_id;

CREATE TABLE accounts_new (
    id                  TEXT PRIMARY KEY,
    username            TEXT NOT NULL UNIQUE,
    password_hash       TEXT NOT NULL,
    role                TEXT NOT NULL CHECK (role IN ('resident', 'officer', 'admin')),
    person_id           TEXT UNIQUE REFERENCES persons (id),
    failed_logins       INTEGER NOT NULL DEFAULT 0,
    locked_until        DATETIME,
    created_at          DATETIME NOT NULL,
    updated_at          DATETIME NOT NULL,
    disabled_at         DATETIME,
    password_expires_at DATETIME,
    last_failed_at      DATETIME,
    CHECK ((role = 'resident') = (person_id IS NOT NULL))
);
INSERT INTO accounts_new (id, username, password_hash, role, person_id, failed_logins, locked_until, created_at, updated_at, disabled_at, password_expires_at, last_failed_at)
SELECT id, username, password_hash, role, person_id, failed_logins, locked_until, created_at, updated_at, disabled_at, password_expires_at, last_failed_at FROM accounts;
CREATE TABLE sessions_new (
    token_hash TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts_new (id),
    created_at DATETIME NOT NULL,
    expires_at DATETIME NOT NULL,
    revoked_at DATETIME
);
INSERT INTO sessions_new (token_hash, account_id, created_at, expires_at, revoked_at) SELECT token_hash, account_id, created_at, expires_at, revoked_at FROM sessions;
CREATE TABLE assistance_grants_new (
    id                   TEXT PRIMARY KEY,
    kind                 TEXT NOT NULL CHECK (kind IN ('account', 'dependant')),
    principal_person_id  TEXT REFERENCES persons (id),
    helper_account_id    TEXT NOT NULL REFERENCES accounts_new (id),
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
INSERT INTO assistance_grants_new (id, kind, principal_person_id, helper_account_id, helper_username, scopes, relationship, evidence, state, expires_at, lapses_on, confirmed_at, created_by, created_at, updated_at, accepted_at, decided_by, decided_at, refusal_reason_en, refusal_reason_zh, ended_by, ended_at)
SELECT id, kind, principal_person_id, helper_account_id, helper_username, scopes, relationship, evidence, state, expires_at, lapses_on, confirmed_at, created_by, created_at, updated_at, accepted_at, decided_by, decided_at, refusal_reason_en, refusal_reason_zh, ended_by, ended_at FROM assistance_grants;
CREATE TABLE assistance_activity_new (
    id                TEXT PRIMARY KEY,
    grant_id          TEXT NOT NULL REFERENCES assistance_grants_new (id),
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
INSERT INTO assistance_activity_new (id, grant_id, person_id, helper_account_id, helper_username, action, scope, ref, status, request_id, occurred_at)
SELECT id, grant_id, person_id, helper_account_id, helper_username, action, scope, ref, status, request_id, occurred_at FROM assistance_activity;
CREATE TABLE enrolment_codes_new (
    id         TEXT PRIMARY KEY,
    person_id  TEXT NOT NULL REFERENCES persons (id),
    locator    TEXT NOT NULL,
    salt       BLOB NOT NULL,
    code_hash  BLOB NOT NULL,
    channel    TEXT NOT NULL CHECK (channel IN ('sms', 'email', 'counter')),
    issued_by  TEXT NOT NULL DEFAULT '',
    attempts   INTEGER NOT NULL DEFAULT 0,
    created_at DATETIME NOT NULL,
    expires_at DATETIME NOT NULL,
    used_at    DATETIME,
    burned_at  DATETIME
);
INSERT INTO enrolment_codes_new (id, person_id, locator, salt, code_hash, channel, issued_by, attempts, created_at, expires_at, used_at, burned_at)
SELECT id, person_id, locator, salt, code_hash, channel, issued_by, attempts, created_at, expires_at, used_at, burned_at FROM enrolment_codes WHERE person_id IS NOT NULL;

DROP TABLE assistance_activity;
DROP TABLE assistance_grants;
DROP TABLE sessions;
DROP TABLE accounts;
DROP TABLE enrolment_codes;
ALTER TABLE accounts_new RENAME TO accounts;
ALTER TABLE sessions_new RENAME TO sessions;
ALTER TABLE assistance_grants_new RENAME TO assistance_grants;
ALTER TABLE assistance_activity_new RENAME TO assistance_activity;
ALTER TABLE enrolment_codes_new RENAME TO enrolment_codes;
CREATE INDEX sessions_account_idx ON sessions (account_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);
CREATE INDEX assistance_grants_helper_idx ON assistance_grants (helper_account_id, principal_person_id);
CREATE INDEX assistance_grants_principal_idx ON assistance_grants (principal_person_id);
CREATE INDEX assistance_grants_state_idx ON assistance_grants (state, id);
CREATE INDEX assistance_activity_person_idx ON assistance_activity (person_id, id);
CREATE INDEX enrolment_codes_locator_idx ON enrolment_codes (locator);
CREATE INDEX enrolment_codes_person_idx ON enrolment_codes (person_id, created_at);
DROP TABLE helper_identities;
