-- The styles used at a partner's events in the month: a listing of the
-- warehouse's generations, not a KPI (kpi.results has no per-partner
-- style rows). Local month in the business time zone.
-- $1 month start, $2 month end, $3 tz, $4 partner id, $5 how many.
SELECT s.name, s.category, count(*) AS n
FROM dw.fact_generation g
JOIN dw.dim_event e ON e.event_id = g.event_id
LEFT JOIN dw.dim_style s ON s.style_id = g.style_id
WHERE e.partner_id = $4::bigint
  AND g.created_at >= $1::date::timestamp AT TIME ZONE $3
  AND g.created_at < $2::date::timestamp AT TIME ZONE $3
GROUP BY s.style_id, s.name, s.category
ORDER BY n DESC, s.style_id
LIMIT $5::int
