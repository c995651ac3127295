-- Stored forecasts for display, by series, scope and horizon; the same
-- filters as show_index.sql.
SELECT f.series, f.scope, f.horizon, to_char(f.month_start, 'YYYY-MM'), f.point, f.lower, f.upper,
       f.coverage, f.method, f.alpha, f.beta, f.gamma, f.sse, f.drift, f.flags
FROM kpi.forecast f
WHERE ($1 = 'all' OR f.series = $1)
  AND ($2 = 'all' OR split_part(f.scope, ':', 1) = $2)
ORDER BY f.series, f.scope, f.horizon
