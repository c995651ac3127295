-- Per-style KPIs of a period side by side (platform scope), with the
-- style's name and category; ordered by rank. $1 grain, $2 period start.
SELECT s.id, st.name, st.category,
       max(r.value) FILTER (WHERE r.code = 'style_generations'),
       max(r.value) FILTER (WHERE r.code = 'style_share_pct'),
       max(r.value) FILTER (WHERE r.code = 'style_rank'),
       bool_or(r.code = 'style_days_since_use'),
       max(r.value) FILTER (WHERE r.code = 'style_days_since_use'),
       max(r.value) FILTER (WHERE r.code = 'style_deletion_rate_pct'),
       max(r.flag) FILTER (WHERE r.code = 'style_deletion_rate_pct'),
       st.active
FROM kpi.results r
CROSS JOIN LATERAL (SELECT split_part(r.breakdown, ':', 2)::bigint AS id) s
LEFT JOIN dw.dim_style st ON st.style_id = s.id
WHERE r.grain = $1 AND r.period_start = $2::date AND r.scope = 'platform' AND r.breakdown LIKE 'style:%'
  AND r.code IN ('style_generations', 'style_share_pct', 'style_rank', 'style_days_since_use',
                 'style_deletion_rate_pct')
GROUP BY s.id, st.name, st.category, st.active
ORDER BY 6 NULLS LAST, s.id
