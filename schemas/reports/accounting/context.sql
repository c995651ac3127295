-- What the Summary sheet says about the data behind the month ($1 = its
-- first day): the KPI run that stored it (and its time zone), the ETL run
-- that run read, and the latest successful ETL run that loaded data (newer
-- data may exist).
-- Times are local (the session's time zone).
SELECT k.run_id, k.time_zone, k.finished_at::timestamp::text,
       k.etl_run_id, e.finished_at::timestamp::text, e.watermark_after::timestamp::text,
       l.run_id, l.finished_at::timestamp::text,
       (SELECT count(*) FROM kpi.results r WHERE r.grain = 'month' AND r.period_start = $1::date)
FROM (SELECT max(run_id) AS run_id FROM kpi.results
      WHERE grain = 'month' AND period_start = $1::date) x
JOIN kpi.runs k ON k.run_id = x.run_id
LEFT JOIN etl.runs e ON e.run_id = k.etl_run_id
-- The latest run that read rows: one that found nothing new changes no
-- number, and must not change the workbook either.
LEFT JOIN LATERAL (SELECT run_id, finished_at FROM etl.runs
                   WHERE status = 'success' AND rows_read > 0 ORDER BY run_id DESC LIMIT 1) l ON true
