-- Alerts that started in the quarter, counted by rule and severity
-- (kpi.alerts, docs/alerts.md). $1 start, $2 end (local dates), $3 tz.
SELECT code,
       count(*) FILTER (WHERE severity = 'critical'),
       count(*) FILTER (WHERE severity = 'warning'),
       count(*) FILTER (WHERE severity = 'info')
FROM kpi.alerts
WHERE started_at >= $1::date::timestamp AT TIME ZONE $3
  AND started_at < $2::date::timestamp AT TIME ZONE $3
GROUP BY code
ORDER BY min(CASE severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END), code
