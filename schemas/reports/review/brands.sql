-- Loyalty per brand in the quarter: RSNC distributed and redeemed, balance,
-- capital efficiency and its flag. $1 quarter start.
SELECT b.id, br.name,
       max(r.value) FILTER (WHERE r.code = 'points_distributed'),
       max(r.value) FILTER (WHERE r.code = 'points_redeemed'),
       max(r.value) FILTER (WHERE r.code = 'rsnc_balance'),
       max(r.value) FILTER (WHERE r.code = 'capital_efficiency_pct'),
       max(r.flag) FILTER (WHERE r.code = 'capital_efficiency_pct')
FROM kpi.results r
CROSS JOIN LATERAL (SELECT split_part(r.scope, ':', 2)::bigint AS id) b
LEFT JOIN dw.dim_brand br ON br.brand_id = b.id
WHERE r.grain = 'quarter' AND r.period_start = $1::date AND r.scope LIKE 'brand:%' AND r.breakdown = ''
  AND r.code IN ('points_distributed', 'points_redeemed', 'rsnc_balance', 'capital_efficiency_pct')
GROUP BY b.id, br.name
ORDER BY 3 DESC NULLS LAST, b.id
