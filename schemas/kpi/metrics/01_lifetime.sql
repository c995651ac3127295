-- Lifetime totals ("at the end of the period"), read once per run for both
-- passes: up to the requested period's end, split at its start (which is
-- the previous period's end). A pass at the requested period takes `total`,
-- the previous period's pass takes `before_cut`. CREATE ... IF NOT EXISTS:
-- the first pass builds them, the second finds them.
--
-- Each is the daily rollups' UTC days before the boundary's day (migration
-- 026, kept by the ETL) plus the facts from that UTC midnight to the
-- boundary, a local midnight of the business time zone (nothing when the
-- zone is UTC). Summing the facts themselves read the whole history: at
-- scale 10 5.2 s of a 14 s run, growing with every month kept.

CREATE TEMP TABLE IF NOT EXISTS kpi_life_b ON COMMIT DROP AS
SELECT p.cut_ts, to_char(p.cut_ts AT TIME ZONE 'UTC', 'YYYYMMDD')::integer AS cut_key,
       date_trunc('day', p.cut_ts, 'UTC') AS cut_day,
       p.final_end_ts AS end_ts,
       to_char(p.final_end_ts AT TIME ZONE 'UTC', 'YYYYMMDD')::integer AS end_key,
       date_trunc('day', p.final_end_ts, 'UTC') AS end_day
FROM kpi_p p;

-- Credits by movement kind and party; B2C purchases per user (50_b2c.sql),
-- the users' other movements one group per kind (credits in circulation).
-- The boundaries' own UTC days, from the fact, first; then two statements,
-- the parties and the B2C buyers: grouped together, the 190,000 buyers at
-- scale 10 made every party's group cost as much. Each creates its table
-- (an INSERT would read alone, without parallel workers). The bounds are
-- scalar subqueries, computed once before the scan.
CREATE TEMP TABLE IF NOT EXISTS kpi_life_credit_part ON COMMIT DROP AS
SELECT c.kind, c.partner_id, CASE WHEN c.kind = 'b2c_purchase' THEN c.b2c_user_id END AS b2c_user_id,
       sum(c.credits) FILTER (WHERE c.created_at >= (SELECT cut_day FROM kpi_life_b)
                                AND c.created_at < (SELECT cut_ts FROM kpi_life_b)) AS before_cut,
       sum(c.credits) FILTER (WHERE c.created_at >= (SELECT end_day FROM kpi_life_b)
                                AND c.created_at < (SELECT end_ts FROM kpi_life_b)) AS total
FROM dw.fact_credit_movement c
WHERE ((c.created_at >= (SELECT cut_day FROM kpi_life_b) AND c.created_at < (SELECT cut_ts FROM kpi_life_b))
    OR (c.created_at >= (SELECT end_day FROM kpi_life_b) AND c.created_at < (SELECT end_ts FROM kpi_life_b)))
  AND c.kind IS NOT NULL
GROUP BY 1, 2, 3;

CREATE TEMP TABLE IF NOT EXISTS kpi_life_credit ON COMMIT DROP AS
SELECT x.kind, x.partner_id, NULL::bigint AS b2c_user_id,
       coalesce(sum(x.before_cut), 0) AS before_cut, coalesce(sum(x.total), 0) AS total
FROM (SELECT a.kind, a.partner_id,
             sum(a.credits) FILTER (WHERE a.date_key < (SELECT cut_key FROM kpi_life_b)) AS before_cut,
             sum(a.credits) AS total
      FROM dw.agg_credit_day a
      WHERE a.date_key < (SELECT end_key FROM kpi_life_b) AND a.kind <> 'b2c_purchase'
      GROUP BY 1, 2
      UNION ALL
      SELECT kind, partner_id, before_cut, total
      FROM kpi_life_credit_part WHERE kind <> 'b2c_purchase') x
GROUP BY 1, 2;

-- B2C purchases per user: the rollup's groups joined to the boundary days'
-- few, not summed again with them. A second aggregation of the 180,000
-- buyers' groups at scale 10 (numeric sums) outgrew its memory estimate
-- and spilled: 1.0 s, against 0.45 s for the join. A purchase always has
-- its user (data test of fact_credit_movement).
CREATE TEMP TABLE IF NOT EXISTS kpi_life_credit_b2c ON COMMIT DROP AS
SELECT 'b2c_purchase'::text AS kind, coalesce(a.partner_id, d.partner_id) AS partner_id,
       coalesce(a.b2c_user_id, d.b2c_user_id) AS b2c_user_id,
       coalesce(a.before_cut, 0) + coalesce(d.before_cut, 0) AS before_cut,
       coalesce(a.total, 0) + coalesce(d.total, 0) AS total
FROM (SELECT a.partner_id, a.b2c_user_id,
             sum(a.credits) FILTER (WHERE a.date_key < (SELECT cut_key FROM kpi_life_b)) AS before_cut,
             sum(a.credits) AS total
      FROM dw.agg_credit_day a
      WHERE a.date_key < (SELECT end_key FROM kpi_life_b) AND a.kind = 'b2c_purchase'
      GROUP BY 1, 2) a
FULL JOIN (SELECT partner_id, b2c_user_id, before_cut, total
           FROM kpi_life_credit_part WHERE kind = 'b2c_purchase') d
       ON d.b2c_user_id = a.b2c_user_id AND d.partner_id IS NOT DISTINCT FROM a.partner_id;

-- Loyalty transactions by brand, type and (claims) perk: RSNC and counts.
CREATE TEMP TABLE IF NOT EXISTS kpi_life_loyalty ON COMMIT DROP AS
SELECT x.brand_id, x.type, x.perk_id,
       coalesce(sum(x.rsnc_before), 0) AS rsnc_before, coalesce(sum(x.rsnc_total), 0) AS rsnc_total,
       coalesce(sum(x.n_before), 0) AS n_before, coalesce(sum(x.n_total), 0) AS n_total
FROM (SELECT a.brand_id, a.type, a.perk_id,
             sum(a.rsnc_amount) FILTER (WHERE a.date_key < (SELECT cut_key FROM kpi_life_b)) AS rsnc_before,
             sum(a.rsnc_amount) AS rsnc_total,
             sum(a.transactions) FILTER (WHERE a.date_key < (SELECT cut_key FROM kpi_life_b)) AS n_before,
             sum(a.transactions) AS n_total
      FROM dw.agg_loyalty_day a
      WHERE a.date_key < (SELECT end_key FROM kpi_life_b)
      GROUP BY 1, 2, 3
      UNION ALL
      SELECT t.brand_id, t.type, CASE WHEN t.type = 'perk_claim' THEN t.perk_id END,
             sum(t.rsnc_amount) FILTER (WHERE t.created_at < (SELECT cut_ts FROM kpi_life_b)
                                          AND t.created_at >= (SELECT cut_day FROM kpi_life_b)),
             sum(t.rsnc_amount) FILTER (WHERE t.created_at >= (SELECT end_day FROM kpi_life_b)),
             count(*) FILTER (WHERE t.created_at < (SELECT cut_ts FROM kpi_life_b)
                                AND t.created_at >= (SELECT cut_day FROM kpi_life_b)),
             count(*) FILTER (WHERE t.created_at >= (SELECT end_day FROM kpi_life_b))
      FROM dw.fact_loyalty_transaction t
      WHERE (t.created_at >= (SELECT cut_day FROM kpi_life_b) AND t.created_at < (SELECT cut_ts FROM kpi_life_b))
         OR (t.created_at >= (SELECT end_day FROM kpi_life_b) AND t.created_at < (SELECT end_ts FROM kpi_life_b))
      GROUP BY 1, 2, 3) x
WHERE x.type IS NOT NULL
GROUP BY 1, 2, 3;

-- RSNC by brand and transaction type.
CREATE TEMP TABLE IF NOT EXISTS kpi_life_rsnc ON COMMIT DROP AS
SELECT brand_id, type, sum(rsnc_before) AS before_cut, sum(rsnc_total) AS total
FROM kpi_life_loyalty
GROUP BY 1, 2;

-- Claims per perk (a claim without a perk makes a NULL row, which joins
-- nothing).
CREATE TEMP TABLE IF NOT EXISTS kpi_life_claims ON COMMIT DROP AS
SELECT perk_id, n_before AS before_cut, n_total AS total
FROM kpi_life_loyalty
WHERE type = 'perk_claim';

-- Customers reached to date: per brand, the users with a distribution of
-- it; in total, the users with any distribution (a user of two brands
-- counts once). A user counts before a boundary when their first
-- distribution does. The part of the boundary's UTC day before it: the
-- distributions there whose user (and brand) has none earlier that day's
-- midnight, found through fact_loyalty_transaction_reach_idx.
CREATE TEMP TABLE IF NOT EXISTS kpi_life_reached ON COMMIT DROP AS
WITH b AS MATERIALIZED (
    SELECT false AS at_end, cut_day AS day_start, cut_ts AS upto FROM kpi_life_b
    UNION ALL
    SELECT true, end_day, end_ts FROM kpi_life_b
), pairs AS (
    SELECT b.at_end, x.brand_id, count(*) AS n
    FROM b
    CROSS JOIN LATERAL (SELECT DISTINCT t.user_ref, t.brand_id
                        FROM dw.fact_loyalty_transaction t
                        WHERE t.type = 'distribution' AND t.brand_id IS NOT NULL
                          AND t.created_at >= b.day_start AND t.created_at < b.upto) x
    WHERE NOT EXISTS (SELECT 1 FROM dw.fact_loyalty_transaction e
                      WHERE e.type = 'distribution' AND e.user_ref = x.user_ref
                        AND e.brand_id = x.brand_id AND e.created_at < b.day_start)
    GROUP BY 1, 2
), users AS (
    SELECT b.at_end, count(*) AS n
    FROM b
    CROSS JOIN LATERAL (SELECT DISTINCT t.user_ref
                        FROM dw.fact_loyalty_transaction t
                        WHERE t.type = 'distribution' AND t.user_ref IS NOT NULL
                          AND t.created_at >= b.day_start AND t.created_at < b.upto) x
    WHERE NOT EXISTS (SELECT 1 FROM dw.fact_loyalty_transaction e
                      WHERE e.type = 'distribution' AND e.user_ref = x.user_ref
                        AND e.created_at < b.day_start)
    GROUP BY 1
)
SELECT y.brand_id, coalesce(sum(y.before_cut), 0) AS before_cut, coalesce(sum(y.total), 0) AS total
FROM (SELECT a.brand_id,
             sum(a.first_reached) FILTER (WHERE a.date_key < (SELECT cut_key FROM kpi_life_b)) AS before_cut,
             sum(a.first_reached) AS total
      FROM dw.agg_loyalty_reach_day a
      WHERE a.date_key < (SELECT end_key FROM kpi_life_b)
      GROUP BY 1
      UNION ALL
      SELECT brand_id, sum(n) FILTER (WHERE NOT at_end), sum(n) FILTER (WHERE at_end)
      FROM pairs GROUP BY 1
      UNION ALL
      SELECT NULL, sum(n) FILTER (WHERE NOT at_end), sum(n) FILTER (WHERE at_end)
      FROM users                      -- also the all-brands row when nobody was reached
     ) y
GROUP BY 1;

-- This pass's view of them.
DROP TABLE IF EXISTS kpi_credit_at_end;
CREATE TEMP TABLE kpi_credit_at_end ON COMMIT DROP AS
SELECT l.kind, l.partner_id, l.b2c_user_id,
       CASE WHEN p.end_ts = p.final_end_ts THEN l.total ELSE l.before_cut END AS credits
FROM (SELECT * FROM kpi_life_credit UNION ALL SELECT * FROM kpi_life_credit_b2c) l, kpi_p p;
ANALYZE kpi_credit_at_end;
