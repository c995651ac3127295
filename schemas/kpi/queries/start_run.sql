INSERT INTO kpi.runs (kind, grain, period_start, period_end, time_zone, etl_run_id)
VALUES ($1, $2, $3::date, $4::date, $5,
        (SELECT max(run_id) FROM etl.runs WHERE status = 'success'))
RETURNING run_id
