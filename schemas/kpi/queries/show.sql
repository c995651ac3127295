-- Stored KPIs of one period for display, in the order of docs/kpis.md.
-- $3: a scope, or 'all'; $4: 'true' to include breakdown rows.
SELECT r.code, r.scope, r.breakdown, r.value, r.prev_value, r.delta, r.delta_pct, r.unit,
       r.band, r.flag, r.period_start::text, r.period_end::text, r.time_zone, r.run_id
FROM kpi.results r
WHERE r.grain = $1 AND r.period_start = $2::date
  AND ($3 = 'all' OR r.scope = $3)
  AND ($4::boolean OR r.breakdown = '')
ORDER BY r.scope <> 'platform', split_part(r.scope, ':', 1),
         CASE WHEN split_part(r.scope, ':', 2) ~ '^[0-9]+$' THEN split_part(r.scope, ':', 2)::bigint END,
         r.scope,
         coalesce(array_position(ARRAY[
             'system_pulse', 'uptime_pct', 'api_requests', 'error_rate_pct', 'avg_response_s', 'p95_response_s',
             'partners_total', 'partners_active', 'partners_inactive', 'partners_approved',
             'partners_deactivated', 'partner_growth_mom_pct', 'partner_churn_mom_pct',
             'active_partner_ratio_pct', 'events_total', 'events_cumulative', 'generations_total',
             'avg_generations_per_event', 'credits_bought', 'credits_used', 'credits_in_channels',
             'credits_in_circulation', 'consumption_ratio_pct', 'revenue_usd', 'revenue_growth_mom_pct',
             'mrr_usd', 'mrr_growth_mom_pct', 'b2c_users_total', 'b2c_new_users', 'b2c_active_30d',
             'b2c_activation_pct', 'b2c_revenue_month_usd', 'avg_credits_per_user', 'avg_purchase_usd',
             'repeat_purchase_pct', 'session_avg_s', 'styles_total', 'styles_active', 'styles_inactive',
             'style_deletion_rate_pct', 'capital_invested_usd', 'points_distributed', 'customers_reached',
             'rsnc_balance', 'points_redeemed', 'capital_efficiency_pct', 'active_rewards',
             'revenue_generated_usd', 'engagement_rate_pct', 'arpc_usd'], r.code), 1000),
         r.code, r.breakdown
