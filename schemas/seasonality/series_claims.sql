-- Loyalty perk claims per local month of created_at, platform-wide and per
-- brand. A brand that joined late starts with its first claim, so its
-- series is short rather than padded with months before it existed. $1: the
-- last month to include; $2: the run. Zero-filled as in series_events.sql.
WITH m AS (
    SELECT t.brand_id, date_trunc('month', t.created_at)::date AS month_start, count(*) AS n
    FROM dw.fact_loyalty_transaction t
    WHERE t.type = 'perk_claim'
      AND t.created_at < ($1::date + interval '1 month')::timestamptz
    GROUP BY 1, 2
), scoped AS (
    SELECT 'brand:' || brand_id AS scope, month_start, n FROM m WHERE brand_id IS NOT NULL
    UNION ALL
    SELECT 'platform', month_start, sum(n) FROM m GROUP BY month_start
), span AS (
    SELECT scope, min(month_start) AS first_month FROM scoped GROUP BY scope
)
INSERT INTO kpi.seasonal_series (series, scope, month_start, value, run_id)
SELECT 'claims', s.scope, g.month_start::date, coalesce(x.n, 0), $2::bigint
FROM span s
CROSS JOIN LATERAL generate_series(s.first_month::timestamp, $1::date::timestamp,
                                   interval '1 month') AS g(month_start)
LEFT JOIN scoped x ON x.scope = s.scope AND x.month_start = g.month_start::date
