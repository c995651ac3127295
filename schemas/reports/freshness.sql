-- Data freshness for a report's cover: the latest successful ETL run and
-- the local time its watermark reaches. No clock: same state, same text.
-- $1 time zone.
SELECT run_id, to_char(watermark_after AT TIME ZONE $1, 'YYYY-MM-DD HH24:MI')
FROM etl.runs
WHERE status = 'success' AND watermark_after IS NOT NULL
ORDER BY run_id DESC
LIMIT 1
