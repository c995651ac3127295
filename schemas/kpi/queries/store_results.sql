-- The requested period's rows with the previous period's value beside
-- them, the change, and the benchmark band.
INSERT INTO kpi.results (code, grain, period_start, period_end, scope, breakdown, value, prev_value,
                         delta, delta_pct, unit, band, flag, time_zone, run_id)
SELECT c.code, p.grain, p.start_date, p.end_date, c.scope, c.breakdown, c.value, v.value,
       c.value - v.value,
       (c.value - v.value) / nullif(v.value, 0) * 100,
       c.unit,
       CASE WHEN b.code IS NULL OR c.value IS NULL THEN NULL
            WHEN c.value < b.bad_below OR c.value > b.bad_above THEN 'needs_improvement'
            WHEN (b.good_min IS NULL OR c.value >= b.good_min)
             AND (b.good_max IS NULL OR c.value <= b.good_max)
             AND (b.good_below IS NULL OR c.value < b.good_below) THEN 'good'
            ELSE 'watch' END,
       c.flag, current_setting('TimeZone'), $1::bigint
FROM kpi_raw c
CROSS JOIN kpi_p p
LEFT JOIN kpi_raw v ON v.which = 'prev' AND v.code = c.code AND v.scope = c.scope AND v.breakdown = c.breakdown
LEFT JOIN kpi_bands b ON b.code = c.code
WHERE c.which = 'cur'
