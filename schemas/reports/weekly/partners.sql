-- Per-partner KPIs of a week side by side, with the partner's name and
-- whether it was approved at the week's end (dim_partner version then).
-- $1 week start, $2 week end, $3 tz.
SELECT p.id, d.name,
       max(r.value) FILTER (WHERE r.code = 'events_total'),
       max(r.value) FILTER (WHERE r.code = 'generations_total'),
       max(r.value) FILTER (WHERE r.code = 'credits_used'),
       max(r.delta_pct) FILTER (WHERE r.code = 'events_total'),
       coalesce(bool_or(v.status = 'approved'), false)
FROM kpi.results r
CROSS JOIN LATERAL (SELECT split_part(r.scope, ':', 2)::bigint AS id) p
LEFT JOIN dw.dim_partner d ON d.partner_id = p.id AND d.is_current
LEFT JOIN dw.dim_partner v ON v.partner_id = p.id
      AND v.valid_from < $2::date::timestamp AT TIME ZONE $3
      AND v.valid_to >= $2::date::timestamp AT TIME ZONE $3
WHERE r.grain = 'week' AND r.period_start = $1::date AND r.scope LIKE 'partner:%' AND r.breakdown = ''
  AND r.code IN ('events_total', 'generations_total', 'credits_used')
GROUP BY p.id, d.name
ORDER BY 3 DESC NULLS LAST, 4 DESC NULLS LAST, p.id
