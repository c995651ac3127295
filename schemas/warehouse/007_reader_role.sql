-- almanac_reader: read-only access for analysts and BI tools.
--
-- A NOLOGIN group role: grant it to the login roles of people and tools,
--   CREATE ROLE alice LOGIN PASSWORD '...' IN ROLE almanac_reader;
-- It reads the star schema (dw) and the ETL's audit tables (runs, per-table
-- counts, rejects), never staging or the watermarks.
--
-- Roles belong to the whole cluster, not to this database: another
-- warehouse on the same server may have created it already, so it is created
-- only when missing. Creating it needs CREATEROLE; without it, a clear error
-- says what an administrator must run first.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'almanac_reader') THEN
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles
                       WHERE rolname = current_user AND (rolsuper OR rolcreaterole)) THEN
            RAISE EXCEPTION 'role almanac_reader does not exist and % may not create roles',
                            current_user
                USING HINT = 'as a superuser run: CREATE ROLE almanac_reader NOLOGIN; then migrate again';
        END IF;
        CREATE ROLE almanac_reader NOLOGIN;
        COMMENT ON ROLE almanac_reader IS 'Read-only access to the almanac warehouse (schema dw and the ETL audit tables).';
    END IF;
END
$$;

GRANT USAGE ON SCHEMA dw, etl TO almanac_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA dw TO almanac_reader;
GRANT SELECT ON etl.runs, etl.run_tables, etl.rejects TO almanac_reader;

-- Tables that later migrations add to dw are readable too. This applies to
-- objects created by the role running the migrations (the warehouse owner).
ALTER DEFAULT PRIVILEGES IN SCHEMA dw GRANT SELECT ON TABLES TO almanac_reader;
