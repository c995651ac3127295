-- Outage intervals that started in the quarter, local times, and their
-- length in minutes as the alert's evidence states it.
-- $1 start, $2 end (local dates), $3 tz.
SELECT subject, to_char(started_at AT TIME ZONE $3, 'YYYY-MM-DD HH24:MI'),
       to_char(ended_at AT TIME ZONE $3, 'YYYY-MM-DD HH24:MI'), (evidence ->> 'minutes')::numeric
FROM kpi.alerts
WHERE code = 'api_outage'
  AND started_at >= $1::date::timestamp AT TIME ZONE $3
  AND started_at < $2::date::timestamp AT TIME ZONE $3
ORDER BY started_at, subject
