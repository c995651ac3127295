-- Data tests of dw.fact_loyalty_transaction, on the rows this run wrote.
-- One row per failing check: problem, failing_rows, examples.
WITH checked AS (
    SELECT f.loyalty_transaction_id AS key,
           coalesce(f.brand_id IS NULL, false) AS brand_id_null,
           coalesce(f.type IS NULL, false) AS type_null,
           coalesce(f.rsnc_amount IS NULL, false) AS rsnc_amount_null,
           coalesce(f.tx_hash IS NULL, false) AS tx_hash_null,
           coalesce(f.created_at IS NULL, false) AS created_at_null,
           coalesce(f.type = 'distribution' AND f.user_ref IS NULL, false) AS distribution_incomplete,
           coalesce(f.type = 'perk_claim' AND (f.user_ref IS NULL OR f.perk_id IS NULL), false) AS claim_incomplete,
           coalesce(f.type = 'purchase' AND f.usd_amount IS NULL, false) AS purchase_incomplete,
           coalesce(f.type NOT IN ('purchase', 'distribution', 'perk_claim', 'sellback'), false) AS type_value,
           coalesce(f.rsnc_amount <= 0, false) AS rsnc_amount_not_positive,
           coalesce(f.usd_amount < 0, false) AS usd_amount_negative,
           coalesce(jsonb_typeof(f.metadata) <> 'object', false) AS metadata_not_object,
           coalesce(f.brand_id IS NOT NULL AND b.brand_id IS NULL, false) AS brand_id_dangling,
           coalesce(f.perk_id IS NOT NULL AND k.perk_id IS NULL, false) AS perk_id_dangling,
           coalesce(f.reward_id IS NOT NULL AND r.reward_id IS NULL, false) AS reward_id_dangling,
           coalesce(f.date_key IS NULL AND f.created_at IS NOT NULL, false) AS date_key_null,
           coalesce(f.date_key IS NOT NULL AND d.date_key IS NULL, false) AS date_key_dangling,
           coalesce(d.date <> (f.created_at AT TIME ZONE 'UTC')::date, false) AS date_key_wrong
    FROM dw.fact_loyalty_transaction f
    LEFT JOIN dw.dim_brand b ON b.brand_id = f.brand_id
    LEFT JOIN dw.dim_perk k ON k.perk_id = f.perk_id
    LEFT JOIN dw.dim_reward r ON r.reward_id = f.reward_id
    LEFT JOIN dw.dim_date d ON d.date_key = f.date_key
    WHERE f.etl_run_id = current_setting('almanac.run_id')::bigint
),
failed AS (
    SELECT * FROM checked
    WHERE brand_id_null
       OR type_null
       OR rsnc_amount_null
       OR tx_hash_null
       OR created_at_null
       OR distribution_incomplete
       OR claim_incomplete
       OR purchase_incomplete
       OR type_value
       OR rsnc_amount_not_positive
       OR usd_amount_negative
       OR metadata_not_object
       OR brand_id_dangling
       OR perk_id_dangling
       OR reward_id_dangling
       OR date_key_null
       OR date_key_dangling
       OR date_key_wrong
)
SELECT p.problem, count(*) AS failing_rows,
       array_to_string((array_agg(c.key ORDER BY c.key))[1:5], ', ') AS examples
FROM failed c
CROSS JOIN LATERAL (VALUES
    (c.brand_id_null, 'not_null: dw.fact_loyalty_transaction.brand_id is NULL'),
    (c.type_null, 'not_null: dw.fact_loyalty_transaction.type is NULL'),
    (c.rsnc_amount_null, 'not_null: dw.fact_loyalty_transaction.rsnc_amount is NULL'),
    (c.tx_hash_null, 'not_null: dw.fact_loyalty_transaction.tx_hash is NULL'),
    (c.created_at_null, 'not_null: dw.fact_loyalty_transaction.created_at is NULL'),
    (c.distribution_incomplete, 'not_null: dw.fact_loyalty_transaction distribution without user_ref'),
    (c.claim_incomplete, 'not_null: dw.fact_loyalty_transaction perk_claim without user_ref or perk_id'),
    (c.purchase_incomplete, 'not_null: dw.fact_loyalty_transaction purchase without usd_amount'),
    (c.type_value, 'accepted_values: dw.fact_loyalty_transaction.type not in (purchase, distribution, perk_claim, sellback)'),
    (c.rsnc_amount_not_positive, 'accepted_values: dw.fact_loyalty_transaction.rsnc_amount is not positive'),
    (c.usd_amount_negative, 'accepted_values: dw.fact_loyalty_transaction.usd_amount is negative'),
    (c.metadata_not_object, 'accepted_values: dw.fact_loyalty_transaction.metadata is not a JSON object'),
    (c.brand_id_dangling, 'relationships: dw.fact_loyalty_transaction.brand_id not in dw.dim_brand'),
    (c.perk_id_dangling, 'relationships: dw.fact_loyalty_transaction.perk_id not in dw.dim_perk'),
    (c.reward_id_dangling, 'relationships: dw.fact_loyalty_transaction.reward_id not in dw.dim_reward'),
    (c.date_key_null, 'not_null: dw.fact_loyalty_transaction.date_key is NULL'),
    (c.date_key_dangling, 'relationships: dw.fact_loyalty_transaction.date_key not in dw.dim_date'),
    (c.date_key_wrong, 'dw.fact_loyalty_transaction.date_key is not the UTC day of created_at')
) AS p (failed, problem)
WHERE p.failed
GROUP BY p.problem
