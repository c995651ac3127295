-- Style usage in the month ($1 = first day, $2 = end): the seed's Style
-- Usage export (Style ID, Name, Category, Usage Count, Last Used), usage,
-- share and rank read from the stored KPIs (style_generations,
-- style_share_pct, style_rank), last use from the facts before the end.
WITH b AS (SELECT $2::date::timestamptz AS end_ts),
k AS (
    SELECT r.code, r.breakdown, r.value FROM kpi.results r
    WHERE r.grain = 'month' AND r.period_start = $1::date AND r.scope = 'platform'
      AND r.code IN ('style_generations', 'style_share_pct', 'style_rank')
)
SELECT s.style_id, s.name, s.category,
       coalesce(u.value, 0),
       (SELECT max(g.created_at) FROM dw.fact_generation g
        WHERE g.style_id = s.style_id AND g.created_at < b.end_ts)::timestamp::text,
       sh.value, rk.value, s.active
FROM dw.dim_style s
CROSS JOIN b
LEFT JOIN k u ON u.code = 'style_generations' AND u.breakdown = 'style:' || s.style_id
LEFT JOIN k sh ON sh.code = 'style_share_pct' AND sh.breakdown = 'style:' || s.style_id
LEFT JOIN k rk ON rk.code = 'style_rank' AND rk.breakdown = 'style:' || s.style_id
WHERE s.created_at < b.end_ts
ORDER BY coalesce(u.value, 0) DESC, s.style_id
