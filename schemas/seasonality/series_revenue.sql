-- Revenue (revenue_usd of docs/kpis.md: amount_usd of purchase,
-- b2c_purchase and subscription movements) per local month, platform-wide
-- only: purchases are made by partners and B2C users, not for an event, so
-- there is no event type to split them by. $1: the last month to include;
-- $2: the run. Zero-filled as in series_events.sql.
WITH scoped AS (
    SELECT 'platform'::text AS scope, date_trunc('month', c.created_at)::date AS month_start,
           sum(coalesce(c.amount_usd, 0)) AS n
    FROM dw.fact_credit_movement c
    WHERE c.kind IN ('purchase', 'b2c_purchase', 'subscription')
      AND c.created_at < ($1::date + interval '1 month')::timestamptz
    GROUP BY 1, 2
), span AS (
    SELECT scope, min(month_start) AS first_month FROM scoped GROUP BY scope
)
INSERT INTO kpi.seasonal_series (series, scope, month_start, value, run_id)
SELECT 'revenue', s.scope, g.month_start::date, coalesce(x.n, 0), $2::bigint
FROM span s
CROSS JOIN LATERAL generate_series(s.first_month::timestamp, $1::date::timestamp,
                                   interval '1 month') AS g(month_start)
LEFT JOIN scoped x ON x.scope = s.scope AND x.month_start = g.month_start::date
