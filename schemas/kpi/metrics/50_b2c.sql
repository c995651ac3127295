-- B2C users, purchases, sessions and funnel: b2c_users_total, b2c_new_users,
-- b2c_active_30d, b2c_activation_pct, b2c_revenue_month_usd,
-- avg_credits_per_user, b2c_users_by_tier, avg_purchase_usd,
-- repeat_purchase_pct, session_avg_s, funnel_reach_pct, funnel_dropoff_pct.

DROP TABLE IF EXISTS kpi_b2c;
CREATE TEMP TABLE kpi_b2c ON COMMIT DROP AS
SELECT u.b2c_user_id, u.signed_up_at >= p.start_ts AS new_in_period,
       coalesce(b.credits, 0) AS credits_bought
FROM dw.dim_b2c_user u
CROSS JOIN kpi_p p
LEFT JOIN (SELECT b2c_user_id, sum(credits) AS credits
           FROM kpi_credit_at_end
           WHERE kind = 'b2c_purchase'
           GROUP BY b2c_user_id) b ON b.b2c_user_id = u.b2c_user_id
WHERE u.signed_up_at < p.end_ts;

-- Active: at least one generation in the 30 days before the period's end
-- (local days: the session runs in the business time zone). The users are
-- made distinct by a grouping, which hashes, rather than count(DISTINCT),
-- which sorts: at scale 10, 300,000 generations, half the time.
WITH active AS (
    SELECT count(*) AS n
    FROM (SELECT g.b2c_user_id
          FROM dw.fact_generation g
          WHERE g.b2c_user_id IS NOT NULL
            AND g.created_at >= (SELECT end_ts - interval '30 days' FROM kpi_p)
            AND g.created_at < (SELECT end_ts FROM kpi_p)
          GROUP BY g.b2c_user_id) u
), users AS (
    SELECT count(*) AS total, count(*) FILTER (WHERE new_in_period) AS new_users,
           sum(credits_bought) AS credits
    FROM kpi_b2c
), buys AS (
    SELECT count(*) AS n, avg(c.amount_usd) AS avg_usd, coalesce(sum(c.amount_usd), 0) AS usd,
           count(DISTINCT c.b2c_user_id) AS buyers
    FROM dw.fact_credit_movement c
    WHERE c.kind = 'b2c_purchase' AND c.created_at >= (SELECT start_ts FROM kpi_p) AND c.created_at < (SELECT end_ts FROM kpi_p)
), repeaters AS (
    SELECT count(*) AS n
    FROM (SELECT c.b2c_user_id
          FROM dw.fact_credit_movement c
          WHERE c.kind = 'b2c_purchase' AND c.created_at >= (SELECT start_ts FROM kpi_p) AND c.created_at < (SELECT end_ts FROM kpi_p)
          GROUP BY c.b2c_user_id HAVING count(*) >= 2) r
), sessions AS (
    SELECT avg(s.duration_s) FILTER (WHERE s.ended_at IS NOT NULL) AS avg_s
    FROM dw.fact_session s
    WHERE s.started_at >= (SELECT start_ts FROM kpi_p) AND s.started_at < (SELECT end_ts FROM kpi_p)
)
INSERT INTO kpi_raw (which, code, scope, breakdown, value, unit)
SELECT p.which, x.code, 'platform', '', x.value, x.unit
FROM kpi_p p, active, users, buys, repeaters, sessions
CROSS JOIN LATERAL (VALUES
    ('b2c_users_total', users.total::numeric, 'count'),
    ('b2c_new_users', users.new_users::numeric, 'count'),
    ('b2c_active_30d', active.n::numeric, 'count'),
    ('b2c_activation_pct', 100.0 * active.n / nullif(users.total, 0), 'pct'),
    ('b2c_revenue_month_usd', buys.usd, 'usd'),
    ('avg_credits_per_user', coalesce(users.credits, 0)::numeric / nullif(users.total, 0), 'credits'),
    ('avg_purchase_usd', buys.avg_usd, 'usd'),
    ('repeat_purchase_pct', 100.0 * repeaters.n / nullif(buys.buyers, 0), 'pct'),
    ('session_avg_s', sessions.avg_s::numeric, 'seconds')
) AS x(code, value, unit);

-- Spending tiers (configurable lower bounds, credits bought to date).
INSERT INTO kpi_raw (which, code, scope, breakdown, value, unit)
SELECT p.which, 'b2c_users_by_tier', 'platform', 'tier:' || t.label,
       (SELECT count(*) FROM kpi_b2c u
        WHERE u.credits_bought >= t.lo AND (t.hi IS NULL OR u.credits_bought < t.hi)),
       'count'
FROM kpi_p p, kpi_tiers t;

-- Funnel: of the sessions started in the period, the share reaching each
-- step, and the share lost since the step before.
WITH s AS (
    SELECT s.session_id
    FROM dw.fact_session s
    WHERE s.started_at >= (SELECT start_ts FROM kpi_p) AND s.started_at < (SELECT end_ts FROM kpi_p)
), reached AS (                -- the period's sessions' steps through the session
                                -- index; OFFSET 0 keeps the planner from hashing
                                -- every step ever recorded instead. Distinct
                                -- sessions by a hashed grouping, not a sort.
    SELECT x.step_no, count(*) AS n
    FROM (SELECT st.step_no, s.session_id
          FROM s
          CROSS JOIN LATERAL (SELECT st.step_no FROM dw.fact_session_step st
                              WHERE st.session_id = s.session_id OFFSET 0) st
          GROUP BY 1, 2) x
    GROUP BY x.step_no
), steps AS (
    SELECT v.step_no, v.name, coalesce(r.n, 0) AS n,
           lag(coalesce(r.n, 0)) OVER (ORDER BY v.step_no) AS before
    FROM (VALUES (1, 'upload'), (2, 'style'), (3, 'generate'), (4, 'download')) AS v(step_no, name)
    LEFT JOIN reached r ON r.step_no = v.step_no
)
INSERT INTO kpi_raw (which, code, scope, breakdown, value, unit)
SELECT p.which, 'funnel_reach_pct', 'platform', 'step:' || st.step_no || '-' || st.name,
       100.0 * st.n / nullif((SELECT count(*) FROM s), 0), 'pct'
FROM kpi_p p, steps st
UNION ALL
SELECT p.which, 'funnel_dropoff_pct', 'platform', 'step:' || st.step_no || '-' || st.name,
       100 - 100.0 * st.n / nullif(st.before, 0), 'pct'
FROM kpi_p p, steps st
WHERE st.step_no >= 2;
