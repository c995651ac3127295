-- Statistics for the tables this run filled from empty (begin.sql lists
-- them), in the load transaction, so that the warehouse commits with them.
-- Without them the first queries after a first load are planned on
-- PostgreSQL's default guesses until autovacuum reaches each table, which
-- at scale 10 took more than ten minutes for the 21 million generations:
-- the month's KPIs ran in 41 s instead of 12 s, the data tests of this run
-- read whole facts with the same guesses. ANALYZE samples a fixed number
-- of rows (about 1.4 s for each of the five largest facts at scale 10);
-- tables a run only adds to are left to autovacuum, whose thresholds are
-- relative to their size. ANALYZE counts this transaction's own rows.
DO $$
DECLARE
    t regclass;
BEGIN
    FOR t IN SELECT table_name FROM etl_first_filled LOOP
        EXECUTE format('ANALYZE %s', t);
    END LOOP;
END
$$;
