-- "The dimension rows this run wrote".
--
-- The data tests of the type 1 dimensions (schemas/etl/tests/dimensions.sql)
-- check the rows of the current run (etl_run_id). Without an index that
-- read the two large dimensions whole on every run: at scale 10, 343,000
-- events and 200,000 B2C users, 0.1-0.2 s of scanning when the run wrote
-- none of them. New rows are appended, so a run's rows sit in the last
-- block ranges (read as they are until transform/90_brin_summarize.sql
-- summarises them); a changed row's new version widens the summary of the
-- range it lands in. The small dimensions (a few hundred rows) are scanned.
CREATE INDEX dim_event_run_brin ON dw.dim_event
    USING brin (etl_run_id) WITH (pages_per_range = 32, autosummarize = on);
CREATE INDEX dim_b2c_user_run_brin ON dw.dim_b2c_user
    USING brin (etl_run_id) WITH (pages_per_range = 32, autosummarize = on);
