-- Rejected rows per staging table after the SQL checks (orphans included),
-- read through partial indexes instead of scanning every staged row.
SELECT table_name, rows_rejected FROM etl.staging_rejects
