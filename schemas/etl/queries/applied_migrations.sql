-- Migrations already applied, with the checksum each had.
SELECT version, checksum FROM etl.schema_migrations ORDER BY version
