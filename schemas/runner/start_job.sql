INSERT INTO ops.job_runs (job, grain, period, period_start, period_end)
VALUES ($1, $2, $3, $4::date, $5::date)
RETURNING job_run_id
