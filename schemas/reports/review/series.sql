-- Monthly platform values of the trend charts, as stored by `almanac kpi`
-- for each month. $1 first month start, $2 last month start, $3 codes.
SELECT r.code, r.breakdown, r.period_start::text, r.value
FROM kpi.results r
WHERE r.grain = 'month' AND r.period_start BETWEEN $1::date AND $2::date
  AND r.scope = 'platform' AND r.code = ANY ($3::text[])
  AND (r.breakdown = '' OR r.breakdown LIKE 'channel:%')
ORDER BY r.code, r.breakdown, r.period_start
