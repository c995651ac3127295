-- Alerts seen in the run's period, by severity, for the manifest.
SELECT severity, count(*)
FROM kpi.alerts
WHERE last_seen_at >= ($1::date)::timestamp AT TIME ZONE $3
   OR (started_at < ($2::date)::timestamp AT TIME ZONE $3
       AND coalesce(ended_at, 'infinity') >= ($1::date)::timestamp AT TIME ZONE $3)
GROUP BY severity
