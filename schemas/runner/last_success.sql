-- The latest period a job completed, for --catch-up.
SELECT period_start::text, period
FROM ops.job_runs
WHERE job = $1 AND status = 'success'
ORDER BY period_start DESC
LIMIT 1
