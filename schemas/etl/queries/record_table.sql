-- Per-table counts of this run ($1 run, $2 table, $3 read, $4 loaded,
-- $5 rejected, $6 seconds).
INSERT INTO etl.run_tables (run_id, table_name, rows_read, rows_loaded, rows_rejected, seconds)
VALUES ($1, $2, $3, $4, $5, $6)
