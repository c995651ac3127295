-- The partners a month's KPIs report on (docs/kpis.md: approved or
-- deactivated at the month's end), with their names. $1 month start,
-- $2 one partner id or NULL for all.
SELECT split_part(r.scope, ':', 2)::bigint AS id, d.name
FROM kpi.results r
LEFT JOIN dw.dim_partner d ON d.partner_id = split_part(r.scope, ':', 2)::bigint AND d.is_current
WHERE r.grain = 'month' AND r.period_start = $1::date AND r.code = 'events_total'
  AND r.scope LIKE 'partner:%' AND r.breakdown = ''
  AND ($2::bigint IS NULL OR r.scope = 'partner:' || $2::bigint)
ORDER BY 1
