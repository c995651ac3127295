-- The table that records applied warehouse migrations; created before any
-- migration runs, so it cannot itself be a migration.
CREATE SCHEMA IF NOT EXISTS etl;
CREATE TABLE IF NOT EXISTS etl.schema_migrations (
    version    text PRIMARY KEY,           -- file name below schemas/warehouse/
    checksum   text NOT NULL,              -- md5 of the file as applied
    applied_at timestamptz NOT NULL DEFAULT now()
);
