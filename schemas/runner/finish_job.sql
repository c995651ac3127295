UPDATE ops.job_runs
SET finished_at = clock_timestamp(), status = $2, exit_code = $3::integer, error = $4, manifest = $5,
    data_through = $6::timestamptz
WHERE job_run_id = $1::bigint
