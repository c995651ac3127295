UPDATE kpi.runs
SET status = 'success', finished_at = clock_timestamp(), rows_written = $2::bigint,
    period_start = (SELECT min(month_start) FROM kpi.seasonal_series WHERE run_id = $1::bigint)
WHERE run_id = $1::bigint
