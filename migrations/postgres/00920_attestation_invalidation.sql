-- +goose Up
-- A registry event (a passport or card reported lost or stolen, cancelled,
-- replaced or renewed, a correction of the holder's data) makes what an
-- e-document says untrue; the document is then withdrawn in the same
-- transaction. Such a document is stored as revoked, so code that does not
-- know the column still treats it as withdrawn, and invalidation_cause
-- says why, as a code the service words in each language. card_id is the
-- card issue the document was made from: a 2023 card keeps its number
-- through renewals and replacements, so the number alone no longer tells
-- the issues apart. '' for documents issued before: their number was
-- unique then.
ALTER TABLE attestations ADD COLUMN invalidation_cause TEXT NOT NULL DEFAULT '';
ALTER TABLE attestations ADD COLUMN card_id TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE attestations DROP COLUMN card_id;
ALTER TABLE attestations DROP COLUMN invalidation_cause;
