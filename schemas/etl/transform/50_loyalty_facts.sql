-- Loyalty facts (seed 002): one row per loyalty transaction event, merged
-- by source id like the platform facts (see 30_platform_facts.sql), then
-- the retry of earlier orphans. tx_hash is unique: validate_references.sql
-- already rejected any batch row whose hash another transaction holds, and
-- a retried row is loaded only while its hash is free. Needs almanac.run_id.

-- The values this run is about to overwrite, for the snapshots (as for
-- credit movements in 30_platform_facts.sql: the batch's rows and the
-- rejects the retry below may load) and the rollups (80_rollups.sql: the
-- brand and user, whose first distribution may move).
CREATE TEMP TABLE replaced_loyalty_transactions ON COMMIT DROP AS
SELECT f.type, f.perk_id, f.brand_id, f.user_ref, f.created_at
FROM dw.fact_loyalty_transaction f
WHERE f.loyalty_transaction_id IN (
    SELECT k.id
    FROM (SELECT id FROM staging.loyalty_transactions WHERE _reject_code IS NULL
          UNION ALL
          SELECT CASE WHEN r.source_key ~ '^[0-9]{1,18}$' THEN r.source_key::bigint END
          FROM etl.rejects r
          WHERE r.source_table = 'loyalty_transactions' AND r.resolved_run_id IS NULL
            AND r.reason_code IN ('orphan_reference', 'duplicate_key')) AS k (id)
    WHERE k.id <= (SELECT max(m.loyalty_transaction_id) FROM dw.fact_loyalty_transaction m));

MERGE INTO dw.fact_loyalty_transaction AS f
USING (SELECT id, brand_id, type, user_ref, perk_id, reward_id, usd_amount, rsnc_amount,
              tx_hash, metadata::jsonb AS metadata, created_at,
              to_char(created_at AT TIME ZONE 'UTC', 'YYYYMMDD')::integer AS date_key,
              current_setting('almanac.run_id')::bigint AS etl_run_id
       FROM staging.loyalty_transactions
       WHERE _reject_code IS NULL
         AND NOT EXISTS (SELECT 1 FROM etl.deferred_indexes d
                         WHERE d.table_name = 'dw.fact_loyalty_transaction'::regclass)
         AND id <= (SELECT coalesce(max(m.loyalty_transaction_id), -9223372036854775808)
                    FROM dw.fact_loyalty_transaction m)) AS s
ON f.loyalty_transaction_id = s.id
WHEN MATCHED AND (f.brand_id, f.type, f.user_ref, f.perk_id, f.reward_id, f.usd_amount,
                  f.rsnc_amount, f.tx_hash, f.metadata, f.created_at)
                 IS DISTINCT FROM
                 (s.brand_id, s.type, s.user_ref, s.perk_id, s.reward_id, s.usd_amount,
                  s.rsnc_amount, s.tx_hash, s.metadata, s.created_at) THEN
    UPDATE SET brand_id = s.brand_id, type = s.type, user_ref = s.user_ref, perk_id = s.perk_id,
               reward_id = s.reward_id, usd_amount = s.usd_amount, rsnc_amount = s.rsnc_amount,
               tx_hash = s.tx_hash, metadata = s.metadata, created_at = s.created_at,
               date_key = s.date_key, etl_run_id = s.etl_run_id
WHEN NOT MATCHED THEN
    INSERT (loyalty_transaction_id, brand_id, type, user_ref, perk_id, reward_id, usd_amount,
            rsnc_amount, tx_hash, metadata, created_at, date_key, etl_run_id)
    VALUES (s.id, s.brand_id, s.type, s.user_ref, s.perk_id, s.reward_id, s.usd_amount,
            s.rsnc_amount, s.tx_hash, s.metadata, s.created_at, s.date_key, s.etl_run_id);

-- A first load (the fact was empty at begin.sql) appends the batch as it
-- comes; any other run the rows above the fact's highest id, in id order
-- (see 30_platform_facts.sql).
INSERT INTO dw.fact_loyalty_transaction (loyalty_transaction_id, brand_id, type, user_ref, perk_id, reward_id, usd_amount,
            rsnc_amount, tx_hash, metadata, created_at, date_key, etl_run_id)
WITH s AS NOT MATERIALIZED (
    SELECT id, brand_id, type, user_ref, perk_id, reward_id, usd_amount, rsnc_amount,
           tx_hash, metadata::jsonb AS metadata, created_at,
           to_char(created_at AT TIME ZONE 'UTC', 'YYYYMMDD')::integer AS date_key,
           current_setting('almanac.run_id')::bigint AS etl_run_id
    FROM staging.loyalty_transactions
    WHERE _reject_code IS NULL
)
SELECT s.id, s.brand_id, s.type, s.user_ref, s.perk_id, s.reward_id, s.usd_amount,
            s.rsnc_amount, s.tx_hash, s.metadata, s.created_at, s.date_key, s.etl_run_id
FROM s
WHERE EXISTS (SELECT 1 FROM etl.deferred_indexes d
              WHERE d.table_name = 'dw.fact_loyalty_transaction'::regclass)
UNION ALL
(SELECT s.id, s.brand_id, s.type, s.user_ref, s.perk_id, s.reward_id, s.usd_amount,
             s.rsnc_amount, s.tx_hash, s.metadata, s.created_at, s.date_key, s.etl_run_id
 FROM s
 WHERE NOT EXISTS (SELECT 1 FROM etl.deferred_indexes d
                   WHERE d.table_name = 'dw.fact_loyalty_transaction'::regclass)
   AND s.id > (SELECT coalesce(max(m.loyalty_transaction_id), -9223372036854775808)
               FROM dw.fact_loyalty_transaction m)
 ORDER BY s.id);
SELECT etl.restore_indexes('dw.fact_loyalty_transaction');  -- deferred by a first load (begin.sql)

-- Rows of loyalty_transactions quarantined earlier as orphans or duplicates,
-- not re-read in this batch, that would pass now: load them from the reject's
-- stored values and close the reject (resolution 'loaded').
WITH retry AS (
    SELECT r.reject_id, t.*
    FROM etl.rejects r
    CROSS JOIN LATERAL jsonb_populate_record(NULL::staging.loyalty_transactions,
                                             r.raw_row::jsonb) AS t
    WHERE r.source_table = 'loyalty_transactions'
      AND r.reason_code IN ('orphan_reference', 'duplicate_key')
      AND r.resolved_run_id IS NULL
      AND r.last_seen_run_id <> current_setting('almanac.run_id')::bigint
),
ready AS (
    SELECT t.*
    FROM retry t
    WHERE (t.brand_id IS NULL
           OR EXISTS (SELECT 1 FROM dw.dim_brand p WHERE p.brand_id = t.brand_id))
      AND (t.perk_id IS NULL
           OR EXISTS (SELECT 1 FROM dw.dim_perk p WHERE p.perk_id = t.perk_id))
      AND (t.reward_id IS NULL
           OR EXISTS (SELECT 1 FROM dw.dim_reward p WHERE p.reward_id = t.reward_id))
      AND NOT EXISTS (SELECT 1 FROM dw.fact_loyalty_transaction h
                      WHERE h.tx_hash = t.tx_hash AND h.loyalty_transaction_id <> t.id)
      AND t.id = (SELECT min(o.id) FROM retry o WHERE o.tx_hash = t.tx_hash)
),
loaded AS (
    INSERT INTO dw.fact_loyalty_transaction AS f (loyalty_transaction_id, brand_id, type,
                                                  user_ref, perk_id, reward_id, usd_amount,
                                                  rsnc_amount, tx_hash, metadata, created_at,
                                                  date_key, etl_run_id)
    SELECT id, brand_id, type, user_ref, perk_id, reward_id, usd_amount, rsnc_amount, tx_hash,
           metadata::jsonb AS metadata, created_at,
           to_char(created_at AT TIME ZONE 'UTC', 'YYYYMMDD')::integer AS date_key,
           current_setting('almanac.run_id')::bigint
    FROM ready
    ON CONFLICT (loyalty_transaction_id) DO UPDATE
    SET brand_id = excluded.brand_id, type = excluded.type, user_ref = excluded.user_ref,
        perk_id = excluded.perk_id, reward_id = excluded.reward_id,
        usd_amount = excluded.usd_amount, rsnc_amount = excluded.rsnc_amount,
        tx_hash = excluded.tx_hash, metadata = excluded.metadata,
        created_at = excluded.created_at, date_key = excluded.date_key,
        etl_run_id = excluded.etl_run_id
)
UPDATE etl.rejects AS r
SET resolved_run_id = current_setting('almanac.run_id')::bigint, resolution = 'loaded'
FROM ready
WHERE r.reject_id = ready.reject_id;
