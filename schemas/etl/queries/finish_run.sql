-- Closes a successful run and moves the watermark, in the load transaction.
-- $1 run, $2 new watermark, $3 read, $4 loaded, $5 rejected,
-- $6 whether the watermark saw every open source transaction.
WITH w AS (
    INSERT INTO etl.watermarks (name, value, run_id) VALUES ('source', $2::timestamptz, $1)
    ON CONFLICT (name) DO UPDATE SET value = excluded.value, run_id = excluded.run_id
)
UPDATE etl.runs
SET status = 'success', finished_at = clock_timestamp(), watermark_after = $2::timestamptz,
    rows_read = $3, rows_loaded = $4, rows_rejected = $5, watermark_sees_all = $6::boolean
WHERE run_id = $1
