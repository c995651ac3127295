-- Row counts of the latest ETL and KPI runs, for the manifest.
SELECT (SELECT json_build_object('read', rows_read, 'loaded', rows_loaded, 'rejected', rows_rejected)
        FROM etl.runs WHERE status = 'success' ORDER BY run_id DESC LIMIT 1)::text,
       (SELECT rows_written FROM kpi.runs WHERE kind = 'kpi' AND status = 'success'
        ORDER BY run_id DESC LIMIT 1)::text
