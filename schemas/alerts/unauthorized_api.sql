-- unauthorized_api (warning): >= $3 API requests answered 401 or 403 for
-- one API key, or from one client address, within any span of $4 minutes
-- (sliding).
--
-- Same shape as failed_login_burst.sql: a burst is a chain of refused
-- requests of one key (or one address) with no gap longer than $4 minutes,
-- holding $3 or more within some $4-minute span, keyed by its first
-- request; a chain reaching back before the window is followed back.
--
-- $1 window start, $2 window end, $3 count, $4 window_minutes.
WITH RECURSIVE
raw AS MATERIALIZED (
    SELECT r.requested_at AS t, r.api_key AS actor, r.client_ip AS ip, r.status_code, r.endpoint
    FROM dw.fact_api_request r
    WHERE r.status_code IN (401, 403)
      AND r.requested_at >= $1::timestamptz - make_interval(secs => $4::float8 * 60)
      AND r.requested_at < $2::timestamptz
),
ev AS (
    SELECT 'api_key' AS by, r.actor AS who, r.t, r.actor, r.ip, r.status_code, r.endpoint
    FROM raw r WHERE r.actor IS NOT NULL
    UNION ALL
    SELECT 'ip', r.ip, r.t, r.actor, r.ip, r.status_code, r.endpoint FROM raw r WHERE r.ip IS NOT NULL
),
dense AS (
    SELECT e.*,
           -- failures in [t, t + span]
           count(*) OVER (PARTITION BY e.by, e.who ORDER BY e.t
                          RANGE BETWEEN CURRENT ROW AND make_interval(secs => $4::float8 * 60) FOLLOWING) AS n_span,
           e.t - lag(e.t) OVER (PARTITION BY e.by, e.who ORDER BY e.t) AS gap
    FROM ev e
),
chained AS (
    SELECT d.*,
           count(*) FILTER (WHERE d.gap IS NULL OR d.gap > make_interval(secs => $4::float8 * 60))
               OVER (PARTITION BY d.by, d.who ORDER BY d.t) AS chain
    FROM dense d
),
burst AS (
    SELECT c.by, c.who, c.chain, min(c.t) AS first_t, max(c.t) AS last_t, count(*) AS n,
           max(c.n_span) AS max_in_span,
           count(DISTINCT c.ip) AS ips, count(DISTINCT c.actor) AS accounts,
           (array_agg(DISTINCT c.ip) FILTER (WHERE c.ip IS NOT NULL))[1:10] AS ip_list,
           (array_agg(DISTINCT c.actor) FILTER (WHERE c.actor IS NOT NULL))[1:10] AS account_list,
           array_agg(DISTINCT c.status_code) AS statuses,
           (array_agg(DISTINCT c.endpoint))[1:10] AS endpoints
    FROM chained c
    GROUP BY c.by, c.who, c.chain
    HAVING max(c.n_span) >= $3::numeric AND max(c.t) >= $1::timestamptz
),
-- Chains whose first failure read lies before the window may go back further.
walk (by, who, first_t, t, n) AS (
    SELECT b.by, b.who, b.first_t, b.first_t, 0::bigint FROM burst b WHERE b.first_t < $1::timestamptz
    UNION ALL
    SELECT w.by, w.who, w.first_t, x.t, w.n + x.n
    FROM walk w
    CROSS JOIN LATERAL (
        SELECT min(r.requested_at) AS t, count(*) AS n
        FROM dw.fact_api_request r
        WHERE r.status_code IN (401, 403)
          AND CASE w.by WHEN 'api_key' THEN r.api_key = w.who ELSE r.client_ip = w.who END
          AND r.requested_at >= w.t - make_interval(secs => $4::float8 * 60) AND r.requested_at < w.t
    ) x
    WHERE x.t IS NOT NULL
),
earlier AS (
    SELECT w.by, w.who, w.first_t, min(w.t) AS start_t, max(w.n) AS n_before
    FROM walk w
    GROUP BY w.by, w.who, w.first_t
)
SELECT 'unauthorized_api' AS code, 'warning' AS severity, b.by AS subject_kind, b.who AS subject,
       b.by || ':' || b.who || '@'
           || to_char(coalesce(e.start_t, b.first_t) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS dedup_key,
       coalesce(e.start_t, b.first_t) AS started_at, b.last_t AS ended_at,
       jsonb_build_object(
           'by', b.by,
           'api_key', CASE WHEN b.by = 'api_key' THEN b.who END,
           'ip', CASE WHEN b.by = 'ip' THEN b.who END,
           'first_request', coalesce(e.start_t, b.first_t),
           'last_request', b.last_t,
           'count', b.n + coalesce(e.n_before, 0),
           'max_in_window', b.max_in_span,
           'window_minutes', $4::numeric,
           'threshold', $3::numeric,
           'statuses', to_jsonb(b.statuses),
           'endpoints', to_jsonb(b.endpoints),
           'distinct_ips', b.ips,
           'distinct_keys', b.accounts,
           'ips', CASE WHEN b.by = 'api_key' THEN to_jsonb(b.ip_list) END,
           'api_keys', CASE WHEN b.by = 'ip' THEN to_jsonb(b.account_list) END) AS evidence
FROM burst b
LEFT JOIN earlier e ON e.by = b.by AND e.who = b.who AND e.first_t = b.first_t
ORDER BY started_at, b.by, b.who;
