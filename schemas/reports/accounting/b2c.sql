-- B2C revenue of the month ($1 = first day) as stored in kpi.results:
-- purchases, subscriptions, users, spending tiers and B2C packs.
SELECT r.code, r.breakdown, r.value, r.prev_value, r.delta, r.delta_pct, r.unit
FROM kpi.results r
WHERE r.grain = 'month' AND r.period_start = $1::date AND r.scope = 'platform'
  AND (r.code IN ('b2c_revenue_month_usd', 'avg_purchase_usd', 'repeat_purchase_pct',
                  'b2c_users_total', 'b2c_new_users', 'b2c_active_30d', 'b2c_activation_pct',
                  'avg_credits_per_user', 'b2c_users_by_tier')
       OR (r.code = 'revenue_usd' AND r.breakdown IN ('source:b2c', 'source:subscription'))
       OR (r.code = 'mrr_usd' AND r.breakdown = 'source:subscriptions')
       OR (r.code IN ('pack_purchases', 'pack_buyers', 'pack_revenue_usd')
           AND r.breakdown LIKE 'channel:b2c/%'))
ORDER BY array_position(ARRAY['b2c_revenue_month_usd', 'revenue_usd', 'mrr_usd', 'avg_purchase_usd',
                              'repeat_purchase_pct', 'b2c_users_total', 'b2c_new_users',
                              'b2c_active_30d', 'b2c_activation_pct', 'avg_credits_per_user',
                              'b2c_users_by_tier', 'pack_purchases', 'pack_buyers',
                              'pack_revenue_usd'], r.code),
         r.breakdown
