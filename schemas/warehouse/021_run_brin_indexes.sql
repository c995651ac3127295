-- "The rows this run wrote" on the other large facts.
--
-- The data tests (schemas/etl/tests/) check the fact rows of the current
-- run (etl_run_id). 006_indexes.sql gave the three biggest facts a BRIN
-- index for it; without one an incremental run read every row of the
-- others (at scale 10 about 15 million rows, most of an empty run's data
-- tests). Rows are appended run after run, so a run's rows sit in the last
-- block ranges; a few pages each, built once after a first load
-- (020_deferred_indexes.sql) and summarised after every run
-- (transform/90_brin_summarize.sql).
CREATE INDEX fact_credit_movement_run_brin ON dw.fact_credit_movement
    USING brin (etl_run_id) WITH (pages_per_range = 32, autosummarize = on);
CREATE INDEX fact_loyalty_transaction_run_brin ON dw.fact_loyalty_transaction
    USING brin (etl_run_id) WITH (pages_per_range = 32, autosummarize = on);
CREATE INDEX fact_activity_run_brin ON dw.fact_activity
    USING brin (etl_run_id) WITH (pages_per_range = 32, autosummarize = on);
CREATE INDEX fact_session_run_brin ON dw.fact_session
    USING brin (etl_run_id) WITH (pages_per_range = 32, autosummarize = on);
CREATE INDEX fact_session_step_run_brin ON dw.fact_session_step
    USING brin (etl_run_id) WITH (pages_per_range = 32, autosummarize = on);
