-- +goose Up
-- Each centre keeps the public pages its facts come from (url, day seen,
-- the facts each gives) and which of its texts are renderings from another
-- language, so the public directory can say where a fact comes from. Both
-- are JSON arrays; a centre an officer enters with no source keeps '[]'.
ALTER TABLE service_centers ADD COLUMN sources TEXT NOT NULL DEFAULT '[]';
ALTER TABLE service_centers ADD COLUMN translated TEXT NOT NULL DEFAULT '[]';

-- +goose Down
ALTER TABLE service_centers DROP COLUMN translated;
ALTER TABLE service_centers DROP COLUMN sources;
