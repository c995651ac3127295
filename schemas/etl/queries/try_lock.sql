-- One ETL run at a time per warehouse: held for the session, released when
-- the run ends or its connection drops (a killed run frees it).
SELECT pg_try_advisory_lock(hashtext('almanac.etl'))
