-- Data tests of dw.fact_generation, on the rows this run wrote (earlier rows
-- passed when their run committed, and dimension rows are never deleted).
-- One row per failing check: problem, failing_rows, examples (first keys).
WITH checked AS (
    SELECT f.generation_id AS key,
           coalesce(f.style_id IS NULL, false) AS style_id_null,
           coalesce(f.status IS NULL, false) AS status_null,
           coalesce(f.created_at IS NULL, false) AS created_at_null,
           coalesce((f.event_id IS NULL) = (f.b2c_user_id IS NULL), false) AS channel_ambiguous,
           coalesce(f.status NOT IN ('completed', 'failed'), false) AS status_value,
           coalesce(f.credits < 0, false) AS credits_negative,
           coalesce(f.latency_ms < 0, false) AS latency_ms_negative,
           coalesce(f.event_id IS NOT NULL AND e.event_id IS NULL, false) AS event_id_dangling,
           coalesce(f.style_id IS NOT NULL AND s.style_id IS NULL, false) AS style_id_dangling,
           coalesce(f.b2c_user_id IS NOT NULL AND u.b2c_user_id IS NULL, false) AS b2c_user_id_dangling,
           coalesce(f.date_key IS NULL AND f.created_at IS NOT NULL, false) AS date_key_null,
           coalesce(f.date_key IS NOT NULL AND d.date_key IS NULL, false) AS date_key_dangling,
           coalesce(d.date <> (f.created_at AT TIME ZONE 'UTC')::date, false) AS date_key_wrong
    FROM dw.fact_generation f
    LEFT JOIN dw.dim_event e ON e.event_id = f.event_id
    LEFT JOIN dw.dim_style s ON s.style_id = f.style_id
    LEFT JOIN dw.dim_b2c_user u ON u.b2c_user_id = f.b2c_user_id
    LEFT JOIN dw.dim_date d ON d.date_key = f.date_key
    WHERE f.etl_run_id = current_setting('almanac.run_id')::bigint
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
