-- How far the warehouse's data reaches: the watermark of the latest
-- successful ETL run (everything committed in the source before it is
-- loaded), as an instant and as local time.
SELECT watermark_after::text,
       to_char(watermark_after AT TIME ZONE $1, 'YYYY-MM-DD HH24:MI'),
       watermark_after >= ($2::date)::timestamp AT TIME ZONE $1
FROM etl.runs
WHERE status = 'success' AND watermark_after IS NOT NULL
ORDER BY run_id DESC
LIMIT 1
