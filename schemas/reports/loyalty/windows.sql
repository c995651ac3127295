-- The brand's dashboard metrics over the trailing 7, 30 and 90 days that
-- end with the period ($1 period end, exclusive; $2 scope 'brand:<id>'):
-- one row per code, a column per window, read from kpi.results.
SELECT c.code, c.unit,
       max(r.value) FILTER (WHERE r.grain = '7d') AS d7,
       max(r.value) FILTER (WHERE r.grain = '30d') AS d30,
       max(r.value) FILTER (WHERE r.grain = '90d') AS d90
FROM (VALUES (1, 'capital_invested_usd', 'usd'), (2, 'points_distributed', 'rsnc'),
             (3, 'customers_reached', 'count'), (4, 'rsnc_balance', 'rsnc'),
             (5, 'points_redeemed', 'rsnc'), (6, 'capital_efficiency_pct', 'pct'),
             (7, 'active_rewards', 'count'), (8, 'revenue_generated_usd', 'usd'),
             (9, 'engagement_rate_pct', 'pct'), (10, 'arpc_usd', 'usd')) AS c(n, code, unit)
LEFT JOIN kpi.results r
       ON r.code = c.code AND r.scope = $2 AND r.breakdown = ''
      AND r.grain IN ('7d', '30d', '90d') AND r.period_end = $1::date
GROUP BY c.n, c.code, c.unit
ORDER BY c.n
