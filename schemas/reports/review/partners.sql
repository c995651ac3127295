-- Per-partner KPIs of the quarter side by side, with the partner's name and
-- its segment at the end of the quarter's last month.
-- $1 quarter start, $2 last month start.
SELECT p.id, d.name,
       max(r.value) FILTER (WHERE r.code = 'revenue_usd'),
       max(r.value) FILTER (WHERE r.code = 'events_total'),
       max(r.value) FILTER (WHERE r.code = 'generations_total'),
       max(r.value) FILTER (WHERE r.code = 'credits_used'),
       max(r.value) FILTER (WHERE r.code = 'consumption_ratio_pct'),
       max(r.flag) FILTER (WHERE r.code = 'consumption_ratio_pct'),
       max(r.delta_pct) FILTER (WHERE r.code = 'credits_used'),
       max(r.prev_value) FILTER (WHERE r.code = 'credits_used'),
       s.segment, s.events_90d
FROM kpi.results r
CROSS JOIN LATERAL (SELECT split_part(r.scope, ':', 2)::bigint AS id) p
LEFT JOIN dw.dim_partner d ON d.partner_id = p.id AND d.is_current
LEFT JOIN kpi.partner_segments s ON s.partner_id = p.id AND s.month_start = $2::date
WHERE r.grain = 'quarter' AND r.period_start = $1::date AND r.scope LIKE 'partner:%' AND r.breakdown = ''
  AND r.code IN ('revenue_usd', 'events_total', 'generations_total', 'credits_used', 'consumption_ratio_pct')
GROUP BY p.id, d.name, s.segment, s.events_90d
ORDER BY 3 DESC NULLS LAST, 4 DESC NULLS LAST, p.id
