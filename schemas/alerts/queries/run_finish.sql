-- Closes an alerts run. $1 run id, $2 alerts written (inserted, updated, resolved).
UPDATE kpi.runs SET status = 'success', finished_at = clock_timestamp(), rows_written = $2::bigint
WHERE run_id = $1::bigint;
