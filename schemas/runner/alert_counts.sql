-- Alerts whose condition overlapped the run's period, by severity, for the
-- manifest. $1 start, $2 end (local dates), $3 business time zone.
SELECT severity, count(*)
FROM kpi.alerts
WHERE started_at <= ($2::date)::timestamp AT TIME ZONE $3
  AND coalesce(ended_at, 'infinity') >= ($1::date)::timestamp AT TIME ZONE $3
GROUP BY severity
