-- Generations (any status, kept or later deleted) per local month of
-- created_at: platform-wide (partner and B2C channels) and per event type
-- of the event they were made at (partner channel). The transaction's
-- TimeZone is the business time zone, so date_trunc cuts at local midnight.
-- $1: the last month to include; $2: the run. Zero-filled as in
-- series_events.sql.
WITH m AS (
    SELECT e.event_type, date_trunc('month', g.created_at)::date AS month_start, count(*) AS n
    FROM dw.fact_generation g
    LEFT JOIN dw.dim_event e ON e.event_id = g.event_id
    WHERE g.created_at < ($1::date + interval '1 month')::timestamptz
    GROUP BY 1, 2
), scoped AS (
    SELECT 'event_type:' || event_type AS scope, month_start, sum(n) AS n
    FROM m WHERE event_type IS NOT NULL GROUP BY 1, 2
    UNION ALL
    SELECT 'platform', month_start, sum(n) FROM m GROUP BY month_start
), span AS (
    SELECT scope, min(month_start) AS first_month FROM scoped GROUP BY scope
)
INSERT INTO kpi.seasonal_series (series, scope, month_start, value, run_id)
SELECT 'generations', s.scope, g.month_start::date, coalesce(x.n, 0), $2::bigint
FROM span s
CROSS JOIN LATERAL generate_series(s.first_month::timestamp, $1::date::timestamp,
                                   interval '1 month') AS g(month_start)
LEFT JOIN scoped x ON x.scope = s.scope AND x.month_start = g.month_start::date
