-- The stored series of one computation, scope by scope in month order: the
-- C code reads exactly what the tables hold. (value is numeric; its text is
-- read with strtod, as any client reads it.)
SELECT scope, month_start::text, extract(month FROM month_start)::int, value::text
FROM kpi.seasonal_series
WHERE series = $1
ORDER BY scope, month_start
