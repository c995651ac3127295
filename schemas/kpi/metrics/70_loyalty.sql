-- The loyalty program, per brand and in total: capital_invested_usd,
-- points_distributed, customers_reached, rsnc_balance, points_redeemed,
-- capital_efficiency_pct, active_rewards, revenue_generated_usd,
-- engagement_rate_pct, arpc_usd; per perk: perk_claims,
-- perk_claims_per_day, perk_supply_remaining, perk_rank, perk_peak_hour,
-- perk_peak_week.

-- The period's transactions; lifetime totals are read separately below
-- with only the columns they need.
DROP TABLE IF EXISTS kpi_ltx;
CREATE TEMP TABLE kpi_ltx ON COMMIT DROP AS
SELECT t.brand_id, t.type, t.user_ref, t.perk_id, t.usd_amount, t.rsnc_amount, t.created_at,
       k.value_usd
FROM dw.fact_loyalty_transaction t
LEFT JOIN dw.dim_perk k ON k.perk_id = t.perk_id
WHERE t.created_at >= (SELECT start_ts FROM kpi_p) AND t.created_at < (SELECT end_ts FROM kpi_p);

-- To the end (01_lifetime.sql): balance per brand, and the users who ever
-- received RSNC (a user of two brands counts once in the total).
DROP TABLE IF EXISTS kpi_lt_life, kpi_lt_reached;
CREATE TEMP TABLE kpi_lt_life ON COMMIT DROP AS
SELECT x.brand_id,
       coalesce(sum(x.rsnc) FILTER (WHERE x.type = 'purchase'), 0)
         - coalesce(sum(x.rsnc) FILTER (WHERE x.type IN ('distribution', 'sellback')), 0) AS balance
FROM (SELECT l.brand_id, l.type,
             CASE WHEN p.end_ts = p.final_end_ts THEN l.total ELSE l.before_cut END AS rsnc
      FROM kpi_life_rsnc l, kpi_p p) x
GROUP BY GROUPING SETS ((), (x.brand_id));

CREATE TEMP TABLE kpi_lt_reached ON COMMIT DROP AS
SELECT r.brand_id, CASE WHEN p.end_ts = p.final_end_ts THEN r.total ELSE r.before_cut END AS n
FROM kpi_life_reached r, kpi_p p;

-- The period's users are made distinct by hashed groupings, per brand and
-- then across brands, rather than by count(DISTINCT) under GROUPING SETS,
-- which sorted the period's transactions once per distinct count.
WITH by_user AS (
    SELECT brand_id, user_ref,
           bool_or(type = 'distribution') AS received, bool_or(type = 'perk_claim') AS claimed
    FROM kpi_ltx
    WHERE type IN ('distribution', 'perk_claim') AND user_ref IS NOT NULL
    GROUP BY brand_id, user_ref
), users AS (
    SELECT brand_id, count(*) FILTER (WHERE received) AS reached,
           count(*) FILTER (WHERE claimed) AS claimers
    FROM by_user
    GROUP BY brand_id
    UNION ALL
    SELECT NULL, count(*) FILTER (WHERE received), count(*) FILTER (WHERE claimed)
    FROM (SELECT bool_or(received) AS received, bool_or(claimed) AS claimed
          FROM by_user GROUP BY user_ref) x          -- a user of two brands counts once
), per_brand AS (
    SELECT s.brand_id, s.invested, s.distributed, coalesce(u.reached, 0) AS reached,
           s.redeemed, s.revenue, coalesce(u.claimers, 0) AS claimers
    FROM (SELECT brand_id,
                 coalesce(sum(usd_amount) FILTER (WHERE type = 'purchase'), 0) AS invested,
                 coalesce(sum(rsnc_amount) FILTER (WHERE type = 'distribution'), 0) AS distributed,
                 coalesce(sum(rsnc_amount) FILTER (WHERE type = 'perk_claim'), 0) AS redeemed,
                 coalesce(sum(value_usd) FILTER (WHERE type = 'perk_claim'), 0) AS revenue
          FROM kpi_ltx
          GROUP BY GROUPING SETS ((), (brand_id))) s
    LEFT JOIN users u ON u.brand_id IS NOT DISTINCT FROM s.brand_id
), rewards AS (
    SELECT r.brand_id, count(*) AS n
    FROM dw.dim_reward r, kpi_p p
    WHERE r.created_at < p.end_ts
      AND coalesce(r.deactivated_at, CASE WHEN r.active THEN 'infinity'::timestamptz
                                          ELSE '-infinity'::timestamptz END) >= p.end_ts
    GROUP BY GROUPING SETS ((), (r.brand_id))
), scoped AS (
    SELECT 'platform' AS scope, NULL::bigint AS brand_id UNION ALL
    SELECT 'brand:' || brand_id, brand_id FROM kpi_brands
), v AS (
    SELECT s.scope, s.brand_id,
           coalesce(b.invested, 0) AS invested, coalesce(b.distributed, 0) AS distributed,
           coalesce(b.reached, 0) AS reached, coalesce(l.balance, 0) AS balance,
           coalesce(b.redeemed, 0) AS redeemed, coalesce(b.revenue, 0) AS revenue,
           coalesce(b.claimers, 0) AS claimers, coalesce(rt.n, 0) AS reached_to_date,
           coalesce(r.n, 0) AS rewards
    FROM scoped s
    LEFT JOIN per_brand b ON b.brand_id IS NOT DISTINCT FROM s.brand_id
    LEFT JOIN kpi_lt_life l ON l.brand_id IS NOT DISTINCT FROM s.brand_id
    LEFT JOIN kpi_lt_reached rt ON rt.brand_id IS NOT DISTINCT FROM s.brand_id
    LEFT JOIN rewards r ON r.brand_id IS NOT DISTINCT FROM s.brand_id
), median AS (
    -- The insight compares a brand with the brands that distributed.
    SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY distributed) AS d
    FROM v WHERE brand_id IS NOT NULL AND distributed > 0
), lim AS (
    SELECT value AS pct FROM kpi_params
    WHERE section = 'insights' AND rule = 'loyalty' AND key = 'efficiency_below_pct'
)
INSERT INTO kpi_raw (which, code, scope, breakdown, value, unit, flag)
SELECT p.which, x.code, v.scope, '', x.value, x.unit, x.flag
FROM kpi_p p, median, lim, v
CROSS JOIN LATERAL (
    SELECT 100.0 * v.redeemed / nullif(v.distributed, 0) AS eff
) e
CROSS JOIN LATERAL (VALUES
    ('capital_invested_usd', v.invested, 'usd', NULL),
    ('points_distributed', v.distributed::numeric, 'rsnc', NULL),
    ('customers_reached', v.reached::numeric, 'count', NULL),
    ('rsnc_balance', v.balance::numeric, 'rsnc', NULL),
    ('points_redeemed', v.redeemed::numeric, 'rsnc', NULL),
    ('capital_efficiency_pct', e.eff, 'pct',
     CASE WHEN v.brand_id IS NOT NULL AND v.distributed > median.d AND e.eff < lim.pct
          THEN 'adjust_perks' END),
    ('active_rewards', v.rewards::numeric, 'count', NULL),
    ('revenue_generated_usd', v.revenue, 'usd', NULL),
    ('engagement_rate_pct', 100.0 * v.claimers / nullif(v.reached_to_date, 0), 'pct', NULL),
    ('arpc_usd', v.revenue / nullif(v.reached, 0), 'usd', NULL)
) AS x(code, value, unit, flag);

-- Perk lifecycle, under its brand's scope and, ranked across all brands,
-- under the platform's.
WITH perks AS (
    SELECT k.perk_id, k.brand_id, k.total_supply
    FROM dw.dim_perk k JOIN kpi_brands b ON b.brand_id = k.brand_id, kpi_p p
    WHERE k.created_at < p.end_ts
), claims AS (
    SELECT l.perk_id,
           coalesce(x.n, 0) AS n,
           CASE WHEN p.end_ts = p.final_end_ts THEN l.total ELSE l.before_cut END AS cum
    FROM kpi_life_claims l
    CROSS JOIN kpi_p p
    LEFT JOIN (SELECT perk_id, count(*) AS n FROM kpi_ltx WHERE type = 'perk_claim'
               GROUP BY perk_id) x ON x.perk_id = l.perk_id
), peak_hour AS (
    SELECT DISTINCT ON (perk_id) perk_id, extract(hour FROM created_at)::int AS hour
    FROM kpi_ltx WHERE type = 'perk_claim'
    GROUP BY perk_id, 2
    ORDER BY perk_id, count(*) DESC, 2
), peak_week AS (
    SELECT DISTINCT ON (perk_id) perk_id, date_trunc('week', created_at)::date AS week
    FROM kpi_ltx WHERE type = 'perk_claim'
    GROUP BY perk_id, 2
    ORDER BY perk_id, count(*) DESC, 2
), v AS (
    SELECT k.perk_id, k.brand_id, coalesce(c.n, 0) AS n, k.total_supply - coalesce(c.cum, 0) AS remaining,
           h.hour, w.week
    FROM perks k
    LEFT JOIN claims c ON c.perk_id = k.perk_id
    LEFT JOIN peak_hour h ON h.perk_id = k.perk_id
    LEFT JOIN peak_week w ON w.perk_id = k.perk_id
), scoped AS (
    SELECT 'brand:' || v.brand_id AS scope, v.*,
           rank() OVER (PARTITION BY v.brand_id ORDER BY v.n DESC) AS rnk
    FROM v
    UNION ALL
    SELECT 'platform', v.*, rank() OVER (ORDER BY v.n DESC)
    FROM v
)
INSERT INTO kpi_raw (which, code, scope, breakdown, value, unit)
SELECT p.which, x.code, s.scope, 'perk:' || s.perk_id, x.value, x.unit
FROM kpi_p p, scoped s
CROSS JOIN LATERAL (VALUES
    ('perk_claims', s.n::numeric, 'count'),
    ('perk_claims_per_day', s.n::numeric / p.days, 'count'),
    ('perk_supply_remaining', s.remaining::numeric, 'count'),
    ('perk_rank', s.rnk::numeric, 'rank'),
    ('perk_peak_hour', s.hour::numeric, 'hour'),
    ('perk_peak_week', to_char(s.week, 'YYYYMMDD')::numeric, 'date')
) AS x(code, value, unit);
