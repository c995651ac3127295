-- Share of the quarter's generations by style category. $1 quarter start.
SELECT split_part(breakdown, ':', 2), value
FROM kpi.results
WHERE grain = 'quarter' AND period_start = $1::date AND scope = 'platform'
  AND code = 'category_share_pct' AND breakdown LIKE 'category:%'
ORDER BY value DESC NULLS LAST, breakdown
