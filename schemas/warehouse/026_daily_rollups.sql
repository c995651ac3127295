-- Daily rollups of the two ledgers, kept by the ETL, for the totals "to
-- the end of a period" (KPIS.md: credits in channels and in circulation,
-- consumption ratio, B2C tiers, RSNC balance, customers reached, perk
-- supply).
--
-- Without them every KPI run summed the whole credit and loyalty history:
-- at scale 10, 2.1 million credit movements and 4 million loyalty
-- transactions, 5.2 s of a 14 s run, growing with every month kept. With
-- them a total is the rollup's days before the period's boundary plus the
-- facts of the boundary's own day: periods are cut at midnight of the
-- business time zone, which need not be a UTC midnight, so the day is UTC
-- (the facts' date_key) and the part of a day before the cut comes from
-- the fact itself.
--
-- schemas/etl/transform/80_rollups.sql recomputes, in the run's
-- transaction, every day a run wrote or overwrote a row of; this migration
-- fills them for the facts already loaded.

-- One row per UTC day, movement kind and party. B2C purchases keep the
-- user (the B2C tiers rank users by credits bought to date); the users'
-- other movements count only in totals, so they fold into one row per
-- kind and day.
CREATE TABLE dw.agg_credit_day (
    date_key    integer NOT NULL,   -- yyyymmdd of the movements' UTC day (dim_date)
    kind        text NOT NULL,      -- as fact_credit_movement.kind
    partner_id  bigint,             -- dim_partner; NULL for B2C movements
    b2c_user_id bigint,             -- dim_b2c_user, for kind b2c_purchase only
    credits     bigint NOT NULL,    -- sum of credits
    movements   bigint NOT NULL     -- number of movements
);
-- The key; NULLS NOT DISTINCT: a NULL partner or user is one party (B2C,
-- or the folded users), not a new one per row.
CREATE UNIQUE INDEX agg_credit_day_key ON dw.agg_credit_day (date_key, kind, partner_id, b2c_user_id)
    NULLS NOT DISTINCT;
COMMENT ON TABLE dw.agg_credit_day IS 'Grain: one row per UTC day, credit movement kind and partner (B2C purchases: per user; other B2C movements: one row per kind). Sums of fact_credit_movement, kept by the ETL.';

-- One row per UTC day, brand and transaction type; perk claims per perk.
CREATE TABLE dw.agg_loyalty_day (
    date_key     integer NOT NULL,  -- yyyymmdd of the transactions' UTC day (dim_date)
    brand_id     bigint,            -- dim_brand
    type         text NOT NULL,     -- as fact_loyalty_transaction.type
    perk_id      bigint,            -- dim_perk, for type perk_claim only
    rsnc_amount  bigint NOT NULL,   -- sum of RSNC points
    transactions bigint NOT NULL    -- number of transactions
);
CREATE UNIQUE INDEX agg_loyalty_day_key ON dw.agg_loyalty_day (date_key, brand_id, type, perk_id)
    NULLS NOT DISTINCT;
COMMENT ON TABLE dw.agg_loyalty_day IS 'Grain: one row per UTC day, brand and loyalty transaction type (perk claims: per perk). Sums of fact_loyalty_transaction, kept by the ETL.';

-- Customers reached, by the UTC day of their first distribution: per brand
-- the users whose first distribution of that brand fell on the day; with
-- brand_id NULL the users whose first distribution of any brand did.
CREATE TABLE dw.agg_loyalty_reach_day (
    date_key      integer NOT NULL, -- yyyymmdd, UTC day (dim_date)
    brand_id      bigint,           -- dim_brand; NULL: all brands (a user counts once)
    first_reached bigint NOT NULL   -- users first reached that day
);
CREATE UNIQUE INDEX agg_loyalty_reach_day_key ON dw.agg_loyalty_reach_day (date_key, brand_id)
    NULLS NOT DISTINCT;
COMMENT ON TABLE dw.agg_loyalty_reach_day IS 'Grain: one row per UTC day and brand (NULL: all brands) with users reached for the first time: their first distribution (of that brand, or of any) fell on that day. Kept by the ETL.';

-- Fills each rollup that is empty from its whole fact: here for the facts
-- already loaded, and by the ETL on a first load (80_rollups.sql), where
-- recomputing day by day would probe millions of distributions one by one.
CREATE FUNCTION etl.rollups_fill_empty() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM dw.agg_credit_day) THEN
        INSERT INTO dw.agg_credit_day (date_key, kind, partner_id, b2c_user_id, credits, movements)
        SELECT date_key, kind, partner_id, CASE WHEN kind = 'b2c_purchase' THEN b2c_user_id END,
               coalesce(sum(credits), 0), count(*)
        FROM dw.fact_credit_movement
        WHERE date_key IS NOT NULL AND kind IS NOT NULL
        GROUP BY 1, 2, 3, 4;
    END IF;

    IF NOT EXISTS (SELECT 1 FROM dw.agg_loyalty_day) THEN
        INSERT INTO dw.agg_loyalty_day (date_key, brand_id, type, perk_id, rsnc_amount, transactions)
        SELECT date_key, brand_id, type, CASE WHEN type = 'perk_claim' THEN perk_id END,
               coalesce(sum(rsnc_amount), 0), count(*)
        FROM dw.fact_loyalty_transaction
        WHERE date_key IS NOT NULL AND type IS NOT NULL
        GROUP BY 1, 2, 3, 4;
    END IF;

    -- A user's first distribution, per brand and of any brand. (Every
    -- distribution has a user: the ETL rejects one without.)
    IF NOT EXISTS (SELECT 1 FROM dw.agg_loyalty_reach_day) THEN
        INSERT INTO dw.agg_loyalty_reach_day (date_key, brand_id, first_reached)
        SELECT to_char(f.first_at AT TIME ZONE 'UTC', 'YYYYMMDD')::integer, f.brand_id, count(*)
        FROM (SELECT brand_id, min(created_at) AS first_at
              FROM dw.fact_loyalty_transaction
              WHERE type = 'distribution' AND brand_id IS NOT NULL AND user_ref IS NOT NULL
                AND created_at IS NOT NULL
              GROUP BY user_ref, brand_id) f
        GROUP BY 1, 2
        UNION ALL
        SELECT to_char(f.first_at AT TIME ZONE 'UTC', 'YYYYMMDD')::integer, NULL, count(*)
        FROM (SELECT min(created_at) AS first_at
              FROM dw.fact_loyalty_transaction
              WHERE type = 'distribution' AND user_ref IS NOT NULL AND created_at IS NOT NULL
              GROUP BY user_ref) f
        GROUP BY 1;
    END IF;
END
$$;

SELECT etl.rollups_fill_empty();
