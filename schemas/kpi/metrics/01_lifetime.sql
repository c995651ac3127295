-- Lifetime totals ("at the end of the period"), read once per run for both
-- passes: up to the requested period's end, split at its start (which is
-- the previous period's end). A pass at the requested period takes `total`,
-- the previous period's pass takes `before_cut`. CREATE ... IF NOT EXISTS:
-- the first pass builds them, the second finds them.

-- The bounds are read as scalar subqueries (computed once, before the
-- scan) rather than by joining kpi_p: with the join, each statement here
-- took half as long again at scale 10.

-- Credits by movement kind and party. Only B2C purchases are needed per
-- user (50_b2c.sql); the users' other movements count only in the totals
-- (credits in circulation), so they fold into one group per kind: a
-- million B2C consumptions at scale 10 no longer make a group per user.
CREATE TEMP TABLE IF NOT EXISTS kpi_life_credit ON COMMIT DROP AS
SELECT c.kind, c.partner_id, CASE WHEN c.kind = 'b2c_purchase' THEN c.b2c_user_id END AS b2c_user_id,
       coalesce(sum(c.credits) FILTER (WHERE c.created_at < (SELECT cut_ts FROM kpi_p)), 0) AS before_cut,
       coalesce(sum(c.credits), 0) AS total
FROM dw.fact_credit_movement c
WHERE c.created_at < (SELECT final_end_ts FROM kpi_p)
GROUP BY 1, 2, 3;

-- Loyalty RSNC by brand and transaction type.
CREATE TEMP TABLE IF NOT EXISTS kpi_life_rsnc ON COMMIT DROP AS
SELECT t.brand_id, t.type,
       coalesce(sum(t.rsnc_amount) FILTER (WHERE t.created_at < (SELECT cut_ts FROM kpi_p)), 0) AS before_cut,
       coalesce(sum(t.rsnc_amount), 0) AS total
FROM dw.fact_loyalty_transaction t
WHERE t.created_at < (SELECT final_end_ts FROM kpi_p)
GROUP BY t.brand_id, t.type;

-- Claims per perk (a claim without a perk makes a NULL row, which joins
-- nothing: excluding it in the query made the planner read the perk index
-- and the table, slower than reading the table).
CREATE TEMP TABLE IF NOT EXISTS kpi_life_claims ON COMMIT DROP AS
SELECT t.perk_id,
       count(*) FILTER (WHERE t.created_at < (SELECT cut_ts FROM kpi_p)) AS before_cut,
       count(*) AS total
FROM dw.fact_loyalty_transaction t
WHERE t.type = 'perk_claim' AND t.created_at < (SELECT final_end_ts FROM kpi_p)
GROUP BY t.perk_id;

-- Customers reached to date: per brand, the users with a distribution of
-- it (pairs); in total, the users with any distribution (a user of two
-- brands counts once). A pair or user counts before the cut when its first
-- distribution is. Both read fact_loyalty_transaction_reach_idx (migration
-- 023) in (user, brand) order, index only: grouping 3 million pairs by
-- hash spilled to disk and took about 5 s at scale 10, and the total's
-- count(DISTINCT) sorted them again on every pass.
CREATE TEMP TABLE IF NOT EXISTS kpi_life_reached ON COMMIT DROP AS
WITH pairs AS (
    SELECT t.brand_id, min(t.created_at) < (SELECT cut_ts FROM kpi_p) AS before_cut
    FROM dw.fact_loyalty_transaction t
    WHERE t.type = 'distribution' AND t.created_at < (SELECT final_end_ts FROM kpi_p)
    GROUP BY t.user_ref, t.brand_id
), users AS (
    SELECT min(t.created_at) < (SELECT cut_ts FROM kpi_p) AS before_cut
    FROM dw.fact_loyalty_transaction t
    WHERE t.type = 'distribution' AND t.created_at < (SELECT final_end_ts FROM kpi_p)
      AND t.user_ref IS NOT NULL              -- as count(DISTINCT user_ref) would
    GROUP BY t.user_ref
)
SELECT brand_id, count(*) FILTER (WHERE before_cut) AS before_cut, count(*) AS total
FROM pairs WHERE brand_id IS NOT NULL
GROUP BY brand_id
UNION ALL
SELECT NULL, count(*) FILTER (WHERE before_cut), count(*)   -- all brands
FROM users;

-- This pass's view of them.
DROP TABLE IF EXISTS kpi_credit_at_end;
CREATE TEMP TABLE kpi_credit_at_end ON COMMIT DROP AS
SELECT l.kind, l.partner_id, l.b2c_user_id,
       CASE WHEN p.end_ts = p.final_end_ts THEN l.total ELSE l.before_cut END AS credits
FROM kpi_life_credit l, kpi_p p;
ANALYZE kpi_credit_at_end;
