-- Events held per event type in a quarter and a year earlier.
-- $1 quarter start, $2 year-ago quarter start.
SELECT split_part(r.scope, ':', 2), r.period_start = $1::date, r.value
FROM kpi.results r
WHERE r.grain = 'quarter' AND r.period_start IN ($1::date, $2::date)
  AND r.code = 'events_total' AND r.scope LIKE 'event_type:%' AND r.breakdown = ''
ORDER BY 1, 2
