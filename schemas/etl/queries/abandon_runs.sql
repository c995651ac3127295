-- Runs still marked running were killed: we hold the lock, so none is alive.
UPDATE etl.runs
SET status = 'abandoned', finished_at = now(),
    error = coalesce(error, 'the process ended without finishing (killed or crashed)')
WHERE status = 'running'
