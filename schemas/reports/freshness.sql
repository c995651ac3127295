-- Data freshness for a report's cover: the latest successful ETL run that
-- read rows and the local time its watermark reaches. A run that found
-- nothing new changes no number, so it does not change the report either:
-- the same data give the same file. No clock. $1 time zone.
SELECT run_id, to_char(watermark_after AT TIME ZONE $1, 'YYYY-MM-DD HH24:MI')
FROM etl.runs
WHERE status = 'success' AND watermark_after IS NOT NULL AND rows_read > 0
ORDER BY run_id DESC
LIMIT 1
