-- First step of every ETL run, inside the load transaction.

-- No JIT compilation for this run's statements. Their row estimates are
-- guesses (freshly filled staging, CTEs), and a guess above jit_above_cost
-- made PostgreSQL spend 1.3 s compiling a snapshot refresh that then ran
-- in 50 ms over no rows. The set-based steps here are dominated by I/O and
-- sorting, which JIT does not speed up.
SET LOCAL jit = off;

-- Empty staging.
-- TRUNCATE is transactional; a run that fails restores the previous contents
-- (which nothing reads anyway).
TRUNCATE staging.partners, staging.partner_status_history, staging.partner_applications,
         staging.events, staging.styles, staging.b2c_users, staging.generations,
         staging.credit_transactions, staging.subscriptions, staging.health_checks,
         staging.api_requests, staging.activity_log, staging.sessions, staging.session_steps,
         staging.loyalty_brands, staging.loyalty_rewards, staging.loyalty_perks,
         staging.loyalty_transactions;

-- The first load into an empty warehouse: truncating its still-empty tables
-- in this transaction lets PostgreSQL write their rows without WAL when
-- wal_level is minimal (as on the private server), syncing the files at
-- commit instead. A table that holds rows is never touched; on a server
-- with wal_level replica this changes nothing.
-- An empty fact also loses its indexes until the transform has filled it
-- (etl.defer_indexes, migration 020): building an index once is cheaper
-- than maintaining it row by row. Only the facts whose first write is a
-- MERGE qualify; INSERT ... ON CONFLICT needs its unique index in place.
-- The tables this run found empty, for analyze.sql: they get their
-- statistics before the run commits.
CREATE TEMP TABLE etl_first_filled (table_name regclass NOT NULL) ON COMMIT DROP;
DO $$
DECLARE
    t regclass;
    empty boolean;
BEGIN
    FOR t IN
        SELECT c.oid::regclass
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'dw' AND c.relkind = 'r'
          AND c.relname NOT IN ('dim_date', 'dim_time_of_day')
    LOOP
        EXECUTE format('SELECT NOT EXISTS (SELECT 1 FROM %s)', t) INTO empty;
        IF empty THEN
            EXECUTE format('TRUNCATE %s', t);
            INSERT INTO etl_first_filled VALUES (t);
            IF t = ANY (ARRAY['dw.fact_generation', 'dw.fact_credit_movement',
                              'dw.fact_subscription', 'dw.fact_partner_application',
                              'dw.fact_health_check', 'dw.fact_api_request', 'dw.fact_activity',
                              'dw.fact_session', 'dw.fact_session_step',
                              'dw.fact_loyalty_transaction']::regclass[]) THEN
                PERFORM etl.defer_indexes(t);
            END IF;
        END IF;
    END LOOP;
END
$$;
