-- Events per month of their event_date (the local day the event is held),
-- platform-wide and per event type. $1: the last month to include (its
-- first day); $2: the run.
--
-- Every scope's series runs from its own first month with data to $1, with
-- zeros for the months between that had none: a month without events is a
-- real observation, the months before the first event are not.
WITH m AS (
    SELECT e.event_type, date_trunc('month', e.event_date)::date AS month_start, count(*) AS n
    FROM dw.dim_event e
    WHERE e.event_date < ($1::date + interval '1 month')::date
    GROUP BY 1, 2
), scoped AS (
    SELECT 'event_type:' || event_type AS scope, month_start, n FROM m
    UNION ALL
    SELECT 'platform', month_start, sum(n) FROM m GROUP BY month_start
), span AS (
    SELECT scope, min(month_start) AS first_month FROM scoped GROUP BY scope
)
INSERT INTO kpi.seasonal_series (series, scope, month_start, value, run_id)
SELECT 'events', s.scope, g.month_start::date, coalesce(x.n, 0), $2::bigint
FROM span s
CROSS JOIN LATERAL generate_series(s.first_month::timestamp, $1::date::timestamp,
                                   interval '1 month') AS g(month_start)
LEFT JOIN scoped x ON x.scope = s.scope AND x.month_start = g.month_start::date
