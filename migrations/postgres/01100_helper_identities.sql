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
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL,
    CHECK (mobile <> '' OR email <> '')
);

-- An account is a resident's (one registry person), a helper's (one
-- recorded helper identity) or staff's (neither).
ALTER TABLE accounts ADD COLUMN helper_id TEXT UNIQUE REFERENCES helper_identities (id);
ALTER TABLE accounts DROP CONSTRAINT accounts_role_check;
ALTER TABLE accounts DROP CONSTRAINT accounts_check;
ALTER TABLE accounts ADD CONSTRAINT accounts_role_check CHECK (role IN ('resident', 'helper', 'officer', 'admin'));
ALTER TABLE accounts ADD CONSTRAINT accounts_resident_person_check CHECK ((role = 'resident') = (person_id IS NOT NULL));
ALTER TABLE accounts ADD CONSTRAINT accounts_helper_identity_check CHECK ((role = 'helper') = (helper_id IS NOT NULL));

-- An enrolment code is for a registry person or for a recorded helper.
ALTER TABLE enrolment_codes ALTER COLUMN person_id DROP NOT NULL;
ALTER TABLE enrolment_codes ADD COLUMN helper_id TEXT REFERENCES helper_identities (id);
ALTER TABLE enrolment_codes ADD CONSTRAINT enrolment_codes_subject_check CHECK ((person_id IS NULL) <> (helper_id IS NULL));
CREATE INDEX enrolment_codes_helper_idx ON enrolment_codes (helper_id, created_at);

-- A notice may be addressed to an account rather than a person: a helper
-- learns of the grants they hold, and a Chinese helper has no person.
-- person_id is '' on such a notice.
ALTER TABLE notifications ADD COLUMN account_id TEXT NOT NULL DEFAULT '';
CREATE INDEX notifications_account_idx ON notifications (account_id, id);

-- When the helper was told that a grant is about to expire or lapse, so
-- that they are told once.
ALTER TABLE assistance_grants ADD COLUMN ending_noticed_at TIMESTAMPTZ;

-- +goose Down
-- Refused while a helper account exists: the older schema cannot hold it.
-- Codes for helpers (short-lived) and notices addressed to accounts go.
ALTER TABLE assistance_grants DROP COLUMN ending_noticed_at;
DELETE FROM notifications WHERE person_id = '';
DROP INDEX notifications_account_idx;
ALTER TABLE notifications DROP COLUMN account_id;

DELETE FROM enrolment_codes WHERE helper_id IS NOT NULL;
DROP INDEX enrolment_codes_helper_idx;
ALTER TABLE enrolment_codes DROP CONSTRAINT enrolment_codes_subject_check;
ALTER TABLE enrolment_codes DROP COLUMN helper_id;
ALTER TABLE enrolment_codes ALTER COLUMN person_id SET NOT NULL;

ALTER TABLE accounts DROP CONSTRAINT accounts_helper_identity_check;
ALTER TABLE accounts DROP CONSTRAINT accounts_resident_person_check;
ALTER TABLE accounts DROP CONSTRAINT accounts_role_check;
ALTER TABLE accounts ADD CONSTRAINT accounts_role_check CHECK (role IN ('resident', 'officer', 'admin'));
ALTER TABLE accounts ADD CONSTRAINT accounts_check CHECK ((role = 'resident') = (person_id IS NOT NULL));
ALTER TABLE accounts DROP COLUMN helper_id;
DROP TABLE helper_identities;
