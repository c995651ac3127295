-- The run of the period's stored KPIs when they are current: computed in
-- this time zone ($3) with these settings ($4), and no ETL run since has
-- read a row (a run that found nothing new changes no number).
SELECT r.run_id
FROM kpi.runs r
WHERE r.kind = 'kpi' AND r.status = 'success' AND r.grain = $1 AND r.period_start = $2::date
  AND r.time_zone = $3 AND r.settings = $4
  AND r.run_id = (SELECT max(x.run_id) FROM kpi.results x WHERE x.grain = $1 AND x.period_start = $2::date)
  AND NOT EXISTS (SELECT 1 FROM etl.runs e
                  WHERE e.status = 'success' AND e.run_id > coalesce(r.etl_run_id, 0) AND e.rows_read > 0)
