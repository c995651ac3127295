-- Data tests of dw.fact_generation, on the rows this run wrote (earlier rows
-- passed when their run committed, and dimension rows are never deleted).
-- Relationships are looked up once per distinct key, not once per row: a
-- day of generations is 84,000 rows over about 1,000 events, 5,000 users,
-- 500 styles and 2 days, and probing the dimensions for every row took
-- 0.3-0.5 s at scale 10. The keys the dimensions lack (and the date keys
-- whose day is not the row's) are then found for each row with IN over
-- those few keys, which PostgreSQL hashes once; a join would be planned as
-- a nested loop over the run's rows, which the planner cannot count (it
-- estimates one row for "this run" and rescans the key sets per row).
-- One row per failing check: problem, failing_rows, examples (first keys).
WITH run_rows AS MATERIALIZED (
    SELECT generation_id, event_id, b2c_user_id, style_id, status, credits, latency_ms,
           created_at, date_key
    FROM dw.fact_generation
    WHERE etl_run_id = current_setting('almanac.run_id')::bigint
),
missing_events AS MATERIALIZED (
    SELECT k.event_id
    FROM (SELECT DISTINCT event_id FROM run_rows WHERE event_id IS NOT NULL) k
    WHERE NOT EXISTS (SELECT 1 FROM dw.dim_event e WHERE e.event_id = k.event_id)
),
missing_styles AS MATERIALIZED (
    SELECT k.style_id
    FROM (SELECT DISTINCT style_id FROM run_rows WHERE style_id IS NOT NULL) k
    WHERE NOT EXISTS (SELECT 1 FROM dw.dim_style s WHERE s.style_id = k.style_id)
),
missing_users AS MATERIALIZED (
    SELECT k.b2c_user_id
    FROM (SELECT DISTINCT b2c_user_id FROM run_rows WHERE b2c_user_id IS NOT NULL) k
    WHERE NOT EXISTS (SELECT 1 FROM dw.dim_b2c_user u WHERE u.b2c_user_id = k.b2c_user_id)
),
-- (date key, UTC day) pairs of the run: the keys dim_date lacks, and the
-- pairs whose key dim_date gives another day
days AS MATERIALIZED (
    SELECT k.date_key, k.utc_day, d.date_key IS NULL AS dangling,
           coalesce(d.date <> k.utc_day, false) AS wrong
    FROM (SELECT DISTINCT date_key, (created_at AT TIME ZONE 'UTC')::date AS utc_day
          FROM run_rows WHERE date_key IS NOT NULL) k
    LEFT JOIN dw.dim_date d ON d.date_key = k.date_key
),
checked AS (
    SELECT f.generation_id AS key,
           coalesce(f.style_id IS NULL, false) AS style_id_null,
           coalesce(f.status IS NULL, false) AS status_null,
           coalesce(f.created_at IS NULL, false) AS created_at_null,
           coalesce((f.event_id IS NULL) = (f.b2c_user_id IS NULL), false) AS channel_ambiguous,
           coalesce(f.status NOT IN ('completed', 'failed'), false) AS status_value,
           coalesce(f.credits < 0, false) AS credits_negative,
           coalesce(f.latency_ms < 0, false) AS latency_ms_negative,
           coalesce(f.event_id IN (SELECT event_id FROM missing_events), false) AS event_id_dangling,
           coalesce(f.style_id IN (SELECT style_id FROM missing_styles), false) AS style_id_dangling,
           coalesce(f.b2c_user_id IN (SELECT b2c_user_id FROM missing_users), false) AS b2c_user_id_dangling,
           coalesce(f.date_key IS NULL AND f.created_at IS NOT NULL, false) AS date_key_null,
           coalesce(f.date_key IN (SELECT date_key FROM days WHERE dangling), false) AS date_key_dangling,
           coalesce((f.date_key, (f.created_at AT TIME ZONE 'UTC')::date)
                    IN (SELECT date_key, utc_day FROM days WHERE wrong), false) AS date_key_wrong
    FROM run_rows f
),
failed AS (
    SELECT * FROM checked
    WHERE style_id_null
       OR status_null
       OR created_at_null
       OR channel_ambiguous
       OR status_value
       OR credits_negative
       OR latency_ms_negative
       OR event_id_dangling
       OR style_id_dangling
       OR b2c_user_id_dangling
       OR date_key_null
       OR date_key_dangling
       OR date_key_wrong
)
SELECT p.problem, count(*) AS failing_rows,
       array_to_string((array_agg(c.key ORDER BY c.key))[1:5], ', ') AS examples
FROM failed c
CROSS JOIN LATERAL (VALUES
    (c.style_id_null, 'not_null: dw.fact_generation.style_id is NULL'),
    (c.status_null, 'not_null: dw.fact_generation.status is NULL'),
    (c.created_at_null, 'not_null: dw.fact_generation.created_at is NULL'),
    (c.channel_ambiguous, 'not_null: dw.fact_generation needs exactly one of event_id and b2c_user_id'),
    (c.status_value, 'accepted_values: dw.fact_generation.status not in (completed, failed)'),
    (c.credits_negative, 'accepted_values: dw.fact_generation.credits is negative'),
    (c.latency_ms_negative, 'accepted_values: dw.fact_generation.latency_ms is negative'),
    (c.event_id_dangling, 'relationships: dw.fact_generation.event_id not in dw.dim_event'),
    (c.style_id_dangling, 'relationships: dw.fact_generation.style_id not in dw.dim_style'),
    (c.b2c_user_id_dangling, 'relationships: dw.fact_generation.b2c_user_id not in dw.dim_b2c_user'),
    (c.date_key_null, 'not_null: dw.fact_generation.date_key is NULL'),
    (c.date_key_dangling, 'relationships: dw.fact_generation.date_key not in dw.dim_date'),
    (c.date_key_wrong, 'dw.fact_generation.date_key is not the UTC day of created_at')
) AS p (failed, problem)
WHERE p.failed
GROUP BY p.problem
