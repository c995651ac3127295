-- failed_login_burst (warning): >= $3 failed logins (`login_failed`) for
-- one account, or from one IP address, within any span of $4 minutes
-- (sliding, not fixed buckets).
--
-- A burst is a chain of failed logins of one account (or one address) with
-- no gap longer than $4 minutes between consecutive ones, that holds $3 or
-- more within some $4-minute span. It starts at the chain's first failure,
-- which keys it: a burst that goes on past midnight is one alert, which the
-- next day's run extends. A chain that reaches back before the window is
-- followed back, $4 minutes at a time, to its first failure.
--
-- $1 window start, $2 window end, $3 count, $4 window_minutes.
WITH RECURSIVE
raw AS MATERIALIZED (
    SELECT f.occurred_at AS t, f.actor, f.ip
    FROM dw.fact_activity f
    WHERE f.action = 'login_failed'
      AND f.occurred_at >= $1::timestamptz - make_interval(secs => $4::float8 * 60)
      AND f.occurred_at < $2::timestamptz
),
ev AS (
    SELECT 'account' AS by, r.actor AS who, r.t, r.actor, r.ip FROM raw r WHERE r.actor IS NOT NULL
    UNION ALL
    SELECT 'ip', r.ip, r.t, r.actor, r.ip FROM raw r WHERE r.ip IS NOT NULL
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
           (array_agg(DISTINCT c.actor) FILTER (WHERE c.actor IS NOT NULL))[1:10] AS account_list
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
        SELECT min(f.occurred_at) AS t, count(*) AS n
        FROM dw.fact_activity f
        WHERE f.action = 'login_failed'
          AND CASE w.by WHEN 'account' THEN f.actor = w.who ELSE f.ip = w.who END
          AND f.occurred_at >= w.t - make_interval(secs => $4::float8 * 60) AND f.occurred_at < w.t
    ) x
    WHERE x.t IS NOT NULL
),
earlier AS (
    SELECT w.by, w.who, w.first_t, min(w.t) AS start_t, max(w.n) AS n_before
    FROM walk w
    GROUP BY w.by, w.who, w.first_t
)
SELECT 'failed_login_burst' AS code, 'warning' AS severity, b.by AS subject_kind, b.who AS subject,
       b.by || ':' || b.who || '@'
           || to_char(coalesce(e.start_t, b.first_t) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS dedup_key,
       coalesce(e.start_t, b.first_t) AS started_at, b.last_t AS ended_at,
       jsonb_build_object(
           'by', b.by,
           'account', CASE WHEN b.by = 'account' THEN b.who END,
           'ip', CASE WHEN b.by = 'ip' THEN b.who END,
           'first_failure', coalesce(e.start_t, b.first_t),
           'last_failure', b.last_t,
           'count', b.n + coalesce(e.n_before, 0),
           'max_in_window', b.max_in_span,
           'window_minutes', $4::numeric,
           'threshold', $3::numeric,
           'distinct_ips', b.ips,
           'distinct_accounts', b.accounts,
           'ips', CASE WHEN b.by = 'account' THEN to_jsonb(b.ip_list) END,
           'accounts', CASE WHEN b.by = 'ip' THEN to_jsonb(b.account_list) END) AS evidence
FROM burst b
LEFT JOIN earlier e ON e.by = b.by AND e.who = b.who AND e.first_t = b.first_t
ORDER BY started_at, b.by, b.who;
