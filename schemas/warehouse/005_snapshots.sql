-- Periodic snapshots: balances that reports read at a point in time.
--
-- Refreshed by schemas/etl/snapshots.sql at the end of every ETL run, from
-- the facts (recomputed, then written only where a value changed). Periods
-- are cut at midnight of the business time zone the run used (time_zone,
-- from the setting almanac.timezone; default UTC). Each partner/perk has a
-- row for every period from its first one up to the latest period with
-- data, movements or not, so a balance "at the end of month M" is a plain
-- lookup.

-- One row per partner and month: the credit roll-forward
--   opening + bought - consumed - refunded = closing
-- and cumulative totals since the partner's first movement.
CREATE TABLE dw.snap_partner_credits_month (
    partner_id              bigint NOT NULL,   -- dim_partner (durable id)
    month_start             date NOT NULL,     -- first day of the month, business time zone
    year_month              text NOT NULL,     -- 2026-10
    bought_credits          bigint NOT NULL,   -- purchase
    allocated_credits       bigint NOT NULL,   -- allocation to events
    consumed_credits        bigint NOT NULL,   -- consumption by generations
    refunded_credits        bigint NOT NULL,   -- refund
    purchases               bigint NOT NULL,   -- number of purchase transactions
    purchases_usd           numeric(14,2) NOT NULL,
    refunded_usd            numeric(14,2) NOT NULL,
    opening_balance_credits bigint NOT NULL,   -- closing balance of the month before
    closing_balance_credits bigint NOT NULL,   -- cum bought - cum consumed - cum refunded (liability)
    cum_bought_credits      bigint NOT NULL,   -- since the first movement, up to month end
    cum_allocated_credits   bigint NOT NULL,
    cum_consumed_credits    bigint NOT NULL,
    cum_refunded_credits    bigint NOT NULL,
    unallocated_credits     bigint NOT NULL,   -- cum bought - cum allocated (credits_in_channels)
    time_zone               text NOT NULL,     -- business time zone of month_start
    etl_run_id              bigint NOT NULL,
    PRIMARY KEY (partner_id, month_start)
);
COMMENT ON TABLE dw.snap_partner_credits_month IS 'Grain: one row per partner and month (business time zone), from the partner''s first credit movement to the latest month with any movement. Monthly flows, cumulative totals and balances in credits.';

-- One row per perk and day: claims and the supply left at the day's end.
CREATE TABLE dw.snap_perk_supply_day (
    perk_id          bigint NOT NULL,          -- dim_perk
    day              date NOT NULL,            -- business time zone
    brand_id         bigint,                   -- dim_brand
    claims           bigint NOT NULL,          -- perk_claim transactions that day
    rsnc_claimed     bigint NOT NULL,          -- RSNC points spent on the perk that day
    cum_claims       bigint NOT NULL,          -- claims up to the day's end
    total_supply     bigint,                   -- units ever offered (the perk's latest value)
    remaining_supply bigint,                   -- total_supply - cum_claims
    time_zone        text NOT NULL,
    etl_run_id       bigint NOT NULL,
    PRIMARY KEY (perk_id, day)
);
COMMENT ON TABLE dw.snap_perk_supply_day IS 'Grain: one row per perk and day (business time zone), from the perk''s creation or first claim to the latest day with any loyalty transaction. Claims and supply remaining.';
