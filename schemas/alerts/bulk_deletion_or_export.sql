-- bulk_deletion_or_export (warning): >= $3 deletions (`generation_deleted`)
-- by one actor within any span of $4 minutes (sliding), or any bulk data
-- export (`data_export`).
--
-- A deletion burst is a chain of one actor's deletions with no gap longer
-- than $4 minutes, holding $3 or more within some $4-minute span, keyed by
-- its first deletion (as in failed_login_burst.sql; a chain reaching back
-- before the window is followed back). Every export is its own alert,
-- keyed by its activity id.
--
-- $1 window start, $2 window end, $3 count, $4 window_minutes.
WITH RECURSIVE
ev AS (
    SELECT f.occurred_at AS t, f.actor AS who, f.ip
    FROM dw.fact_activity f
    WHERE f.action = 'generation_deleted' AND f.actor IS NOT NULL
      AND f.occurred_at >= $1::timestamptz - make_interval(secs => $4::float8 * 60)
      AND f.occurred_at < $2::timestamptz
),
dense AS (
    SELECT e.*,
           count(*) OVER (PARTITION BY e.who ORDER BY e.t
                          RANGE BETWEEN CURRENT ROW AND make_interval(secs => $4::float8 * 60) FOLLOWING) AS n_span,
           e.t - lag(e.t) OVER (PARTITION BY e.who ORDER BY e.t) AS gap
    FROM ev e
),
chained AS (
    SELECT d.*,
           count(*) FILTER (WHERE d.gap IS NULL OR d.gap > make_interval(secs => $4::float8 * 60))
               OVER (PARTITION BY d.who ORDER BY d.t) AS chain
    FROM dense d
),
burst AS (
    SELECT c.who, c.chain, min(c.t) AS first_t, max(c.t) AS last_t, count(*) AS n,
           max(c.n_span) AS max_in_span,
           (array_agg(DISTINCT c.ip) FILTER (WHERE c.ip IS NOT NULL))[1:10] AS ip_list
    FROM chained c
    GROUP BY c.who, c.chain
    HAVING max(c.n_span) >= $3::numeric AND max(c.t) >= $1::timestamptz
),
walk (who, first_t, t, n) AS (
    SELECT b.who, b.first_t, b.first_t, 0::bigint FROM burst b WHERE b.first_t < $1::timestamptz
    UNION ALL
    SELECT w.who, w.first_t, x.t, w.n + x.n
    FROM walk w
    CROSS JOIN LATERAL (
        SELECT min(f.occurred_at) AS t, count(*) AS n
        FROM dw.fact_activity f
        WHERE f.action = 'generation_deleted' AND f.actor = w.who
          AND f.occurred_at >= w.t - make_interval(secs => $4::float8 * 60) AND f.occurred_at < w.t
    ) x
    WHERE x.t IS NOT NULL
),
earlier AS (
    SELECT w.who, w.first_t, min(w.t) AS start_t, max(w.n) AS n_before
    FROM walk w
    GROUP BY w.who, w.first_t
)
SELECT 'bulk_deletion_or_export' AS code, 'warning' AS severity, 'actor' AS subject_kind, b.who AS subject,
       'deletion:' || b.who || '@'
           || to_char(coalesce(e.start_t, b.first_t) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS dedup_key,
       coalesce(e.start_t, b.first_t) AS started_at, b.last_t AS ended_at,
       jsonb_build_object(
           'kind', 'deletion',
           'actor', b.who,
           'first_deletion', coalesce(e.start_t, b.first_t),
           'last_deletion', b.last_t,
           'count', b.n + coalesce(e.n_before, 0),
           'max_in_window', b.max_in_span,
           'window_minutes', $4::numeric,
           'threshold', $3::numeric,
           'ips', to_jsonb(b.ip_list)) AS evidence
FROM burst b
LEFT JOIN earlier e ON e.who = b.who AND e.first_t = b.first_t
UNION ALL
SELECT 'bulk_deletion_or_export', 'warning', 'actor', coalesce(f.actor, '(unknown)'),
       'export:' || f.activity_id,
       f.occurred_at, f.occurred_at,
       jsonb_build_object(
           'kind', 'export',
           'activity_id', f.activity_id,
           'actor', f.actor,
           'actor_type', f.actor_type,
           'ip', f.ip,
           'occurred_at', f.occurred_at,
           'export', f.details->'export',
           'format', f.details->'format',
           'rows', f.details->'rows')
FROM dw.fact_activity f
WHERE f.action = 'data_export'
  AND f.occurred_at >= $1::timestamptz AND f.occurred_at < $2::timestamptz
ORDER BY 6, 4;
