-- Unique keys of every dimension, fact, snapshot and rollup.
--
-- The keys are enforced by unique indexes (a duplicate cannot be loaded, the
-- transform fails instead), so testing the data for duplicates could never
-- fail. What can go wrong is a later migration dropping or changing a key:
-- this test checks that each table's declared key still has a valid,
-- non-partial unique index on exactly those columns, and that no dw table
-- exists without a declared key here, and that every index a first load
-- deferred was built again.
-- Columns: problem, failing_rows, examples.
WITH expected (table_name, key_columns) AS (
    VALUES ('dim_date', 'date_key'),
           ('dim_date', 'date'),
           ('dim_time_of_day', 'time_key'),
           ('dim_partner', 'partner_key'),
           ('dim_partner', 'partner_id,valid_from'),
           ('partner_history', 'history_id'),
           ('partner_latest', 'partner_id'),
           ('dim_event', 'event_id'),
           ('dim_style', 'style_id'),
           ('dim_b2c_user', 'b2c_user_id'),
           ('dim_brand', 'brand_id'),
           ('dim_perk', 'perk_id'),
           ('dim_reward', 'reward_id'),
           ('fact_generation', 'generation_id'),
           ('fact_credit_movement', 'credit_transaction_id'),
           ('fact_subscription', 'subscription_id'),
           ('fact_partner_application', 'application_id'),
           ('fact_health_check', 'health_check_id'),
           ('fact_api_request', 'api_request_id'),
           ('fact_activity', 'activity_id'),
           ('fact_session', 'session_id'),
           ('fact_session_step', 'session_step_id'),
           ('fact_loyalty_transaction', 'loyalty_transaction_id'),
           ('fact_loyalty_transaction', 'tx_hash'),
           ('snap_partner_credits_month', 'partner_id,month_start'),
           ('snap_perk_supply_day', 'perk_id,day'),
           ('agg_credit_day', 'date_key,kind,partner_id,b2c_user_id'),
           ('agg_loyalty_day', 'date_key,brand_id,type,perk_id'),
           ('agg_loyalty_reach_day', 'date_key,brand_id')
),
unique_indexes AS (
    SELECT c.relname AS table_name,
           (SELECT string_agg(a.attname, ',' ORDER BY k.ord)
            FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k (attnum, ord)
            JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum)
               AS key_columns
    FROM pg_catalog.pg_index i
    JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
    WHERE c.relnamespace = 'dw'::regnamespace
      AND i.indisunique AND i.indisvalid AND i.indpred IS NULL AND i.indexprs IS NULL
)
SELECT 'unique: dw.' || e.table_name || ' has no unique index on (' || e.key_columns || ')'
           AS problem,
       1::bigint AS failing_rows, NULL::text AS examples
FROM expected e
WHERE NOT EXISTS (SELECT 1 FROM unique_indexes u
                  WHERE u.table_name = e.table_name AND u.key_columns = e.key_columns)
UNION ALL
SELECT 'unique: dw.' || c.relname || ' has no key declared in schemas/etl/tests/keys.sql',
       1, NULL
FROM pg_catalog.pg_class c
WHERE c.relnamespace = 'dw'::regnamespace AND c.relkind IN ('r', 'p')
  AND c.relname NOT IN (SELECT table_name FROM expected)
UNION ALL
-- an index a first load dropped to build after the load (begin.sql) and
-- never built again
SELECT 'index: ' || d.index_name || ' of ' || d.table_name::text
           || ' was dropped for the load and not built again',
       1, NULL
FROM etl.deferred_indexes d
ORDER BY 1
