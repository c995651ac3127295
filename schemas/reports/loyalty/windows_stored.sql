-- Which of the three trailing windows ending at $1 (exclusive) are stored.
SELECT array_agg(DISTINCT grain ORDER BY grain)::text
FROM kpi.results
WHERE grain IN ('7d', '30d', '90d') AND period_end = $1::date
