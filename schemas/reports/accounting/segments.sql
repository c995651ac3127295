-- Partner credits consumed in the month ($1 = first day) by segment: each
-- partner's stored credits_used KPI, summed over its stored segment
-- (kpi.partner_segments). All four segments, empty ones with 0.
SELECT seg.name, count(s.partner_id), coalesce(sum(r.value), 0)
FROM unnest(ARRAY['power', 'active', 'occasional', 'dormant']) WITH ORDINALITY AS seg(name, ord)
LEFT JOIN kpi.partner_segments s ON s.segment = seg.name AND s.month_start = $1::date
LEFT JOIN kpi.results r ON r.code = 'credits_used' AND r.grain = 'month' AND r.period_start = $1::date
                       AND r.scope = 'partner:' || s.partner_id AND r.breakdown = ''
GROUP BY seg.name, seg.ord
ORDER BY seg.ord
