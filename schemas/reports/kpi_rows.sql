-- Headline KPIs of one scope for a report's scorecard, in the order given,
-- with the stored previous period (prev_value, delta, delta_pct) and, when
-- $5 is not NULL, the same scope's value for the period of the same grain
-- starting at $5 (a year earlier). The year-over-year change is the only
-- comparison the engine does not store; it is taken here from the two
-- stored values with the engine's own delta rules (docs/kpis.md):
-- difference in points for percentages, change ÷ earlier value × 100 else.
-- $1 grain, $2 period start, $3 scope, $4 codes (text[]), $5 year-ago start.
SELECT c.code, r.value, r.prev_value, r.delta, r.delta_pct,
       coalesce(r.unit, y.unit), r.band, r.flag, y.value,
       r.value - y.value,
       CASE WHEN y.value <> 0 THEN (r.value - y.value) / y.value * 100 END,
       r.run_id, r.time_zone, r.period_end::text
FROM unnest($4::text[]) WITH ORDINALITY AS c (code, ord)
LEFT JOIN kpi.results r
       ON r.grain = $1 AND r.period_start = $2::date AND r.scope = $3 AND r.breakdown = ''
      AND r.code = c.code
LEFT JOIN kpi.results y
       ON $5::date IS NOT NULL AND y.grain = $1 AND y.period_start = $5::date AND y.scope = $3
      AND y.breakdown = '' AND y.code = c.code
ORDER BY c.ord
