-- Opens an `almanac alerts` run: one at a time per warehouse (a second run
-- waits for the first to commit), recorded in kpi.runs.
-- $1 window start, $2 window end, $3 business time zone.
WITH lock AS (SELECT pg_advisory_xact_lock(hashtext('almanac alerts')))
INSERT INTO kpi.runs (kind, grain, period_start, period_end, time_zone, started_at, etl_run_id)
SELECT 'alerts', 'window',
       ($1::timestamptz AT TIME ZONE $3::text)::date,
       ($2::timestamptz AT TIME ZONE $3::text)::date,
       $3::text, now(),
       (SELECT max(r.run_id) FROM etl.runs r WHERE r.status = 'success')
FROM lock
RETURNING run_id, to_jsonb(started_at) #>> '{}';
