-- When the run holding the lock started (for the "busy" message).
SELECT to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || ' UTC', run_id
FROM etl.runs WHERE status = 'running' ORDER BY run_id DESC LIMIT 1
