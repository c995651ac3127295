-- Records a failed run after its load transaction was rolled back.
UPDATE etl.runs SET status = 'failed', finished_at = clock_timestamp(), error = $2
WHERE run_id = $1
