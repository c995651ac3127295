-- db_connection_failure (critical): any logged database-connection failure
-- (`db_connection_failed` in the activity log).
--
-- Failures of one component less than 15 minutes apart are one incident:
-- a database that stays unreachable for hours logs a failure every few
-- seconds and must raise one alert, not thousands. An incident is keyed by
-- its first failure; one that reaches back before the window is followed
-- back, 15 minutes at a time, to its first failure, so an incident that
-- goes on past midnight is one alert that the next day's run extends.
--
-- $1 window start, $2 window end.
WITH RECURSIVE
ev AS (
    SELECT f.occurred_at AS t, coalesce(f.details->>'component', 'database') AS who, f.activity_id,
           f.details->>'host' AS host, f.details->>'error' AS error
    FROM dw.fact_activity f
    WHERE f.action = 'db_connection_failed'
      AND f.occurred_at >= $1::timestamptz - interval '15 minutes'
      AND f.occurred_at < $2::timestamptz
),
chained AS (
    SELECT g.*,
           count(*) FILTER (WHERE g.gap IS NULL OR g.gap >= interval '15 minutes')
               OVER (PARTITION BY g.who ORDER BY g.t, g.activity_id) AS chain
    FROM (SELECT e.*, e.t - lag(e.t) OVER (PARTITION BY e.who ORDER BY e.t, e.activity_id) AS gap FROM ev e) g
),
incident AS (
    SELECT c.who, c.chain, min(c.t) AS first_t, max(c.t) AS last_t, count(*) AS n,
           (array_agg(c.activity_id ORDER BY c.t, c.activity_id))[1:20] AS ids,
           (array_agg(DISTINCT c.host) FILTER (WHERE c.host IS NOT NULL))[1:5] AS hosts,
           (array_agg(c.error ORDER BY c.t DESC) FILTER (WHERE c.error IS NOT NULL))[1] AS last_error
    FROM chained c
    GROUP BY c.who, c.chain
    HAVING max(c.t) >= $1::timestamptz
),
walk (who, first_t, t, n) AS (
    SELECT i.who, i.first_t, i.first_t, 0::bigint FROM incident i WHERE i.first_t < $1::timestamptz
    UNION ALL
    SELECT w.who, w.first_t, x.t, w.n + x.n
    FROM walk w
    CROSS JOIN LATERAL (
        SELECT min(f.occurred_at) AS t, count(*) AS n
        FROM dw.fact_activity f
        WHERE f.action = 'db_connection_failed' AND coalesce(f.details->>'component', 'database') = w.who
          AND f.occurred_at > w.t - interval '15 minutes' AND f.occurred_at < w.t
    ) x
    WHERE x.t IS NOT NULL
),
earlier AS (
    SELECT w.who, w.first_t, min(w.t) AS start_t, max(w.n) AS n_before
    FROM walk w
    GROUP BY w.who, w.first_t
)
SELECT 'db_connection_failure' AS code, 'critical' AS severity, 'component' AS subject_kind, i.who AS subject,
       i.who || '@' || to_char(coalesce(e.start_t, i.first_t) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS dedup_key,
       coalesce(e.start_t, i.first_t) AS started_at, i.last_t AS ended_at,
       jsonb_build_object(
           'component', i.who,
           'first_failure', coalesce(e.start_t, i.first_t),
           'last_failure', i.last_t,
           'failures', i.n + coalesce(e.n_before, 0),
           'activity_ids', to_jsonb(i.ids),
           'hosts', to_jsonb(i.hosts),
           'last_error', i.last_error) AS evidence
FROM incident i
LEFT JOIN earlier e ON e.who = i.who AND e.first_t = i.first_t
ORDER BY started_at, i.who;
