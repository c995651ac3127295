-- "The snapshot rows this run wrote".
--
-- The snapshot tie-out test (schemas/etl/tests/snapshots.sql) starts from
-- the snapshot rows of the current run (etl_run_id) to find the partners
-- and perks it must check. Without an index that read every row: at scale
-- 10 about a million perk days, a third of a second on every run. A run
-- writes new rows and new versions of changed ones at the end of the
-- table, so its rows sit in the last block ranges, which are not yet
-- summarised (transform/90_brin_summarize.sql runs before the snapshots)
-- and are read as they are; the next run summarises them.
CREATE INDEX snap_partner_credits_month_run_brin ON dw.snap_partner_credits_month
    USING brin (etl_run_id) WITH (pages_per_range = 32, autosummarize = on);
CREATE INDEX snap_perk_supply_day_run_brin ON dw.snap_perk_supply_day
    USING brin (etl_run_id) WITH (pages_per_range = 32, autosummarize = on);
