-- Lifetime totals ("at the end of the period"), read once per run for both
-- passes: up to the requested period's end, split at its start (which is
-- the previous period's end). A pass at the requested period takes `total`,
-- the previous period's pass takes `before_cut`. CREATE ... IF NOT EXISTS:
-- the first pass builds them, the second finds them.

-- Credits by movement kind and party.
CREATE TEMP TABLE IF NOT EXISTS kpi_life_credit ON COMMIT DROP AS
SELECT c.kind, c.partner_id, c.b2c_user_id,
       coalesce(sum(c.credits) FILTER (WHERE c.created_at < p.cut_ts), 0) AS before_cut,
       coalesce(sum(c.credits), 0) AS total
FROM dw.fact_credit_movement c, kpi_p p
WHERE c.created_at < p.final_end_ts
GROUP BY c.kind, c.partner_id, c.b2c_user_id;

-- Loyalty RSNC by brand and transaction type.
CREATE TEMP TABLE IF NOT EXISTS kpi_life_rsnc ON COMMIT DROP AS
SELECT t.brand_id, t.type,
       coalesce(sum(t.rsnc_amount) FILTER (WHERE t.created_at < p.cut_ts), 0) AS before_cut,
       coalesce(sum(t.rsnc_amount), 0) AS total
FROM dw.fact_loyalty_transaction t, kpi_p p
WHERE t.created_at < p.final_end_ts
GROUP BY t.brand_id, t.type;

-- Each (brand, user) pair's first distribution: users reached to date.
CREATE TEMP TABLE IF NOT EXISTS kpi_life_users ON COMMIT DROP AS
SELECT t.brand_id, t.user_ref, min(t.created_at) AS first_at
FROM dw.fact_loyalty_transaction t, kpi_p p
WHERE t.type = 'distribution' AND t.created_at < p.final_end_ts
GROUP BY t.brand_id, t.user_ref;

-- Claims per perk.
CREATE TEMP TABLE IF NOT EXISTS kpi_life_claims ON COMMIT DROP AS
SELECT t.perk_id,
       count(*) FILTER (WHERE t.created_at < p.cut_ts) AS before_cut,
       count(*) AS total
FROM dw.fact_loyalty_transaction t, kpi_p p
WHERE t.type = 'perk_claim' AND t.perk_id IS NOT NULL AND t.created_at < p.final_end_ts
GROUP BY t.perk_id;

-- This pass's view of them.
DROP TABLE IF EXISTS kpi_credit_at_end;
CREATE TEMP TABLE kpi_credit_at_end ON COMMIT DROP AS
SELECT l.kind, l.partner_id, l.b2c_user_id,
       CASE WHEN p.end_ts = p.final_end_ts THEN l.total ELSE l.before_cut END AS credits
FROM kpi_life_credit l, kpi_p p;
ANALYZE kpi_credit_at_end;
