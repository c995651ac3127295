-- Data tests of dw.fact_credit_movement, on the rows this run wrote: what
-- each kind of movement must carry, accepted values, no negative amounts,
-- relationships. One row per failing check: problem, failing_rows, examples.
WITH checked AS (
    SELECT f.credit_transaction_id AS key,
           coalesce(f.kind IS NULL, false) AS kind_null,
           coalesce(f.created_at IS NULL, false) AS created_at_null,
           coalesce(f.kind = 'purchase' AND (f.partner_id IS NULL OR f.credits IS NULL OR f.amount_usd IS NULL), false) AS purchase_incomplete,
           coalesce(f.kind = 'allocation' AND (f.partner_id IS NULL OR f.event_id IS NULL OR f.credits IS NULL), false) AS allocation_incomplete,
           coalesce(f.kind IN ('consumption', 'refund') AND ((f.partner_id IS NULL AND f.b2c_user_id IS NULL) OR f.credits IS NULL), false) AS use_or_refund_incomplete,
           coalesce(f.kind = 'b2c_purchase' AND (f.b2c_user_id IS NULL OR f.credits IS NULL OR f.amount_usd IS NULL), false) AS b2c_purchase_incomplete,
           coalesce(f.kind = 'subscription' AND (f.b2c_user_id IS NULL OR f.amount_usd IS NULL), false) AS subscription_incomplete,
           coalesce(f.kind NOT IN ('purchase', 'allocation', 'consumption', 'refund', 'b2c_purchase', 'subscription'), false) AS kind_value,
           coalesce(f.credits < 0, false) AS credits_negative,
           coalesce(f.amount_usd < 0, false) AS amount_usd_negative,
           coalesce(f.pack_size < 0, false) AS pack_size_negative,
           coalesce(f.partner_id IS NOT NULL AND p.partner_id IS NULL, false) AS partner_id_dangling,
           coalesce(f.event_id IS NOT NULL AND e.event_id IS NULL, false) AS event_id_dangling,
           coalesce(f.b2c_user_id IS NOT NULL AND u.b2c_user_id IS NULL, false) AS b2c_user_id_dangling,
           coalesce(f.date_key IS NULL AND f.created_at IS NOT NULL, false) AS date_key_null,
           coalesce(f.date_key IS NOT NULL AND d.date_key IS NULL, false) AS date_key_dangling,
           coalesce(d.date <> (f.created_at AT TIME ZONE 'UTC')::date, false) AS date_key_wrong
    FROM dw.fact_credit_movement f
    LEFT JOIN dw.partner_latest p ON p.partner_id = f.partner_id
    LEFT JOIN dw.dim_event e ON e.event_id = f.event_id
    LEFT JOIN dw.dim_b2c_user u ON u.b2c_user_id = f.b2c_user_id
    LEFT JOIN dw.dim_date d ON d.date_key = f.date_key
    WHERE f.etl_run_id = current_setting('almanac.run_id')::bigint
),
failed AS (
    SELECT * FROM checked
    WHERE kind_null
       OR created_at_null
       OR purchase_incomplete
       OR allocation_incomplete
       OR use_or_refund_incomplete
       OR b2c_purchase_incomplete
       OR subscription_incomplete
       OR kind_value
       OR credits_negative
       OR amount_usd_negative
       OR pack_size_negative
       OR partner_id_dangling
       OR event_id_dangling
       OR b2c_user_id_dangling
       OR date_key_null
       OR date_key_dangling
       OR date_key_wrong
)
SELECT p.problem, count(*) AS failing_rows,
       array_to_string((array_agg(c.key ORDER BY c.key))[1:5], ', ') AS examples
FROM failed c
CROSS JOIN LATERAL (VALUES
    (c.kind_null, 'not_null: dw.fact_credit_movement.kind is NULL'),
    (c.created_at_null, 'not_null: dw.fact_credit_movement.created_at is NULL'),
    (c.purchase_incomplete, 'not_null: dw.fact_credit_movement purchase without partner_id, credits or amount_usd'),
    (c.allocation_incomplete, 'not_null: dw.fact_credit_movement allocation without partner_id, event_id or credits'),
    (c.use_or_refund_incomplete, 'not_null: dw.fact_credit_movement consumption or refund without a party or credits'),
    (c.b2c_purchase_incomplete, 'not_null: dw.fact_credit_movement b2c_purchase without b2c_user_id, credits or amount_usd'),
    (c.subscription_incomplete, 'not_null: dw.fact_credit_movement subscription without b2c_user_id or amount_usd'),
    (c.kind_value, 'accepted_values: dw.fact_credit_movement.kind not in (purchase, allocation, consumption, refund, b2c_purchase, subscription)'),
    (c.credits_negative, 'accepted_values: dw.fact_credit_movement.credits is negative'),
    (c.amount_usd_negative, 'accepted_values: dw.fact_credit_movement.amount_usd is negative'),
    (c.pack_size_negative, 'accepted_values: dw.fact_credit_movement.pack_size is negative'),
    (c.partner_id_dangling, 'relationships: dw.fact_credit_movement.partner_id not in dw.partner_latest'),
    (c.event_id_dangling, 'relationships: dw.fact_credit_movement.event_id not in dw.dim_event'),
    (c.b2c_user_id_dangling, 'relationships: dw.fact_credit_movement.b2c_user_id not in dw.dim_b2c_user'),
    (c.date_key_null, 'not_null: dw.fact_credit_movement.date_key is NULL'),
    (c.date_key_dangling, 'relationships: dw.fact_credit_movement.date_key not in dw.dim_date'),
    (c.date_key_wrong, 'dw.fact_credit_movement.date_key is not the UTC day of created_at')
) AS p (failed, problem)
WHERE p.failed
GROUP BY p.problem
