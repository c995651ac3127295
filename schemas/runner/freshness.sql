-- Data freshness: the latest successful ETL run and its watermark's age.
SELECT run_id, finished_at::text, watermark_after::text,
       extract(epoch FROM now() - watermark_after)::bigint
FROM etl.runs
WHERE status = 'success'
ORDER BY run_id DESC
LIMIT 1
