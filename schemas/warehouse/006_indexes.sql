-- Indexes for the KPI, alert and report queries (KPIS.md), beyond the keys.
--
-- Every index is paid for on every load: a btree costs roughly as much per
-- loaded row as the heap insert itself (measured: 4 btrees made the credit
-- movement load 2.5 times slower). Facts are appended in about time order
-- and every KPI reads a period of them, so each fact gets a BRIN index on
-- its timestamp: a few pages in size, almost free to maintain, and it
-- narrows a month's scan to that month's blocks. Queries over a fact's whole
-- history (style usage, deletion rate per style, lifetime credits) read it
-- whole with hash joins; no index would help them. Btrees are kept for the
-- lookups reports make one subject at a time, on the smaller facts.
--
-- BRIN ranges of newly loaded blocks are summarised by autovacuum
-- (autosummarize); until then they are simply read, never skipped wrongly.

-- fact_generation (about 2 million rows at the demo scale) -------------------
-- avg_generations_per_event, b2c_active_30d (generations in the 30 days to
-- period end), peak usage (hour x weekday), style preferences by event type,
-- top styles of a period, the generations CSV export of a month.
CREATE INDEX fact_generation_created_brin ON dw.fact_generation
    USING brin (created_at) WITH (pages_per_range = 32, autosummarize = on);

-- fact_api_request (about 1 million rows) ------------------------------------
-- error_rate_pct, avg_response_s and p95, error_rate_spike (5-minute
-- buckets), unauthorized_api (401/403 per key or IP within 1 hour).
CREATE INDEX fact_api_request_requested_brin ON dw.fact_api_request
    USING brin (requested_at) WITH (pages_per_range = 32, autosummarize = on);

-- fact_health_check (about 1 million rows) -----------------------------------
-- uptime_pct, api_outage (consecutive failed checks per component),
-- system_pulse and pulse_red (the latest check per component before the
-- as-of time: read the last hour, DISTINCT ON component).
CREATE INDEX fact_health_check_checked_brin ON dw.fact_health_check
    USING brin (checked_at) WITH (pages_per_range = 32, autosummarize = on);

-- fact_credit_movement -------------------------------------------------------
-- revenue_usd, b2c_revenue_month_usd, avg_purchase_usd, price sensitivity
-- (pack size x promotion), high_value_transaction, the transactions export
-- and the accounting workbook's transaction sheet: one period at a time.
CREATE INDEX fact_credit_movement_created_brin ON dw.fact_credit_movement
    USING brin (created_at) WITH (pages_per_range = 32, autosummarize = on);
-- One partner at a time: the per-partner monthly review, partner_low_credit,
-- lifetime credits used / bought of one partner (segments).
CREATE INDEX fact_credit_movement_partner_idx ON dw.fact_credit_movement (partner_id, created_at)
    WHERE partner_id IS NOT NULL;

-- fact_loyalty_transaction ---------------------------------------------------
-- Per brand and in total over 7/30/90 days or a month: capital_invested_usd,
-- points_distributed, customers_reached, points_redeemed, engagement,
-- rsnc_balance_low, the per-brand loyalty statement.
CREATE INDEX fact_loyalty_transaction_created_brin ON dw.fact_loyalty_transaction
    USING brin (created_at) WITH (pages_per_range = 32, autosummarize = on);
-- Claims tracking: the claims of one perk (user, time, hash) and
-- perk_selling_out (claims per day over the last 7 days).
CREATE INDEX fact_loyalty_transaction_perk_idx ON dw.fact_loyalty_transaction (perk_id, created_at)
    WHERE perk_id IS NOT NULL;
-- (tx_hash has its unique index, which also serves look-ups by hash.)

-- fact_activity --------------------------------------------------------------
-- failed_login_burst, bulk_deletion_or_export, db_connection_failure, the
-- daily summary and the Logs sheet: one window of the log at a time.
CREATE INDEX fact_activity_occurred_brin ON dw.fact_activity
    USING brin (occurred_at) WITH (pages_per_range = 32, autosummarize = on);

-- Sessions -------------------------------------------------------------------
-- session_avg_s and the funnel drop-off of a period.
CREATE INDEX fact_session_started_brin ON dw.fact_session
    USING brin (started_at) WITH (pages_per_range = 32, autosummarize = on);
CREATE INDEX fact_session_step_occurred_brin ON dw.fact_session_step
    USING brin (occurred_at) WITH (pages_per_range = 32, autosummarize = on);

-- Applications ---------------------------------------------------------------
-- partner_application alert: pending applications and their age.
CREATE INDEX fact_partner_application_pending_idx ON dw.fact_partner_application (submitted_at)
    WHERE status = 'pending';

-- Rows written by one run -----------------------------------------------------
-- The data tests (schemas/etl/tests/) check the fact rows the current run
-- wrote (etl_run_id). On the three big facts this BRIN index spares an
-- incremental run from reading millions of rows it did not touch; it costs
-- the full load a few percent.
CREATE INDEX fact_generation_run_brin ON dw.fact_generation
    USING brin (etl_run_id) WITH (pages_per_range = 32, autosummarize = on);
CREATE INDEX fact_api_request_run_brin ON dw.fact_api_request
    USING brin (etl_run_id) WITH (pages_per_range = 32, autosummarize = on);
CREATE INDEX fact_health_check_run_brin ON dw.fact_health_check
    USING brin (etl_run_id) WITH (pages_per_range = 32, autosummarize = on);

-- Dimensions -----------------------------------------------------------------
-- "As is" joins to the current partner version (reports, exports).
CREATE INDEX dim_partner_current_idx ON dw.dim_partner (partner_id) WHERE is_current;
-- "As was" at an instant for all partners (partners_active, MRR at month end).
CREATE INDEX dim_partner_valid_idx ON dw.dim_partner (valid_from, valid_to);
-- Events held in a period (avg_generations_per_event, events_total, seasonality).
CREATE INDEX dim_event_date_idx ON dw.dim_event (event_date);
-- A partner's events (per-partner review, active_partner_ratio_pct, segments).
CREATE INDEX dim_event_partner_idx ON dw.dim_event (partner_id, event_date);
-- A brand's perks and rewards (perk lifecycle, active_rewards).
CREATE INDEX dim_perk_brand_idx ON dw.dim_perk (brand_id);
CREATE INDEX dim_reward_brand_idx ON dw.dim_reward (brand_id);
-- The change log of one partner.
CREATE INDEX partner_history_partner_idx ON dw.partner_history (partner_id, changed_at);

-- Snapshots ------------------------------------------------------------------
-- One month for every partner: credits_in_channels and the liability
-- roll-forward of the accounting workbook.
CREATE INDEX snap_partner_credits_month_month_idx ON dw.snap_partner_credits_month (month_start);
-- One day for every perk: perk_low_supply across brands.
CREATE INDEX snap_perk_supply_day_day_idx ON dw.snap_perk_supply_day (day);
