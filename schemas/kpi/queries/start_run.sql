INSERT INTO kpi.runs (kind, grain, period_start, period_end, time_zone, etl_run_id, settings)
VALUES ($1, $2, $3::date, $4::date, $5,
        (SELECT max(run_id) FROM etl.runs WHERE status = 'success'), $6)
RETURNING run_id
