-- period_end: the end (exclusive) of the months read; period_start is set
-- when the run finishes, from the series it stored.
INSERT INTO kpi.runs (kind, grain, period_end, time_zone, etl_run_id)
VALUES ('seasonality', 'month', $1::date, $2,
        (SELECT max(run_id) FROM etl.runs WHERE status = 'success'))
RETURNING run_id
