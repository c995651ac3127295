-- Style usage in the month ($1 = first day, $2 = end): the seed's Style
-- Usage export (Style ID, Name, Category, Usage Count, Last Used), usage,
-- share and rank read from the stored KPIs (style_generations,
-- style_share_pct, style_rank), last use from the facts before the end.
--
-- Last use comes from one grouped pass over the generations, as the style
-- usage export does: a subquery per style (fact_generation has no index
-- by style) read the whole fact once per style, about 480 times at scale
-- 10, eight minutes of the monthly job.
WITH b AS (SELECT $2::date::timestamptz AS end_ts),
last_use AS (
    SELECT g.style_id, max(g.created_at) AS last_used
    FROM dw.fact_generation g, b
    WHERE g.created_at < b.end_ts
    GROUP BY g.style_id
),
k AS (
    SELECT r.code, r.breakdown, r.value FROM kpi.results r
    WHERE r.grain = 'month' AND r.period_start = $1::date AND r.scope = 'platform'
      AND r.code IN ('style_generations', 'style_share_pct', 'style_rank')
)
SELECT s.style_id, s.name, s.category,
       coalesce(u.value, 0),
       l.last_used::timestamp::text,
       sh.value, rk.value, s.active
FROM dw.dim_style s
CROSS JOIN b
LEFT JOIN last_use l ON l.style_id = s.style_id
LEFT JOIN k u ON u.code = 'style_generations' AND u.breakdown = 'style:' || s.style_id
LEFT JOIN k sh ON sh.code = 'style_share_pct' AND sh.breakdown = 'style:' || s.style_id
LEFT JOIN k rk ON rk.code = 'style_rank' AND rk.breakdown = 'style:' || s.style_id
WHERE s.created_at < b.end_ts
ORDER BY coalesce(u.value, 0) DESC, s.style_id
