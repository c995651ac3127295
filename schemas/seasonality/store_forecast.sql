-- The forecast of one series and scope; $4..$6 are arrays by horizon, the
-- first being the month after $3 (the last month of the series).
INSERT INTO kpi.forecast (series, scope, month_start, horizon, point, lower, upper, coverage,
                          method, alpha, beta, gamma, sse, drift, flags, run_id)
SELECT $1, $2, ($3::date + make_interval(months => h.horizon::integer))::date, h.horizon,
       h.point, h.lower, h.upper, $7::float8, $8, $9::float8, $10::float8, $11::float8,
       $12::float8, $13::float8, $14, $15::bigint
FROM unnest($4::float8[], $5::float8[], $6::float8[]) WITH ORDINALITY
     AS h(point, lower, upper, horizon)
