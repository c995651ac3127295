-- Style Usage (seed 000): every style that existed at the end of the range.
-- Usage Count is the range's generations (style_generations in
-- docs/kpis.md); Last Used is the latest generation up to the end of the
-- range, local time, empty when never used.
WITH b AS (
    SELECT current_setting('almanac.export_from')::timestamptz AS start_at,
           current_setting('almanac.export_to')::timestamptz AS end_at
), used AS (
    SELECT g.style_id,
           count(*) FILTER (WHERE g.created_at >= b.start_at) AS n,
           max(g.created_at) AS last_used
    FROM dw.fact_generation g, b
    WHERE g.created_at < b.end_at
    GROUP BY g.style_id
)
SELECT s.style_id AS "Style ID",
       s.name AS "Name",
       s.category AS "Category",
       coalesce(u.n, 0) AS "Usage Count",
       date_trunc('second', u.last_used::timestamp) AS "Last Used"
FROM dw.dim_style s
CROSS JOIN b
LEFT JOIN used u ON u.style_id = s.style_id
WHERE s.created_at < b.end_at
ORDER BY s.style_id
