-- After a rollback the run's row is gone with the rest; record the failure
-- in a transaction of its own so operators see it in kpi.runs.
INSERT INTO kpi.runs (kind, grain, period_start, period_end, time_zone, status, finished_at, error)
VALUES ($1, $2, $3::date, $4::date, $5, 'failed', clock_timestamp(), $6)
