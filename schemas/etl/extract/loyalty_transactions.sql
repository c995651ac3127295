-- Extract of loyalty_transactions: every row changed at or after the watermark (see
-- docs/etl.md for why the watermark is safe under concurrent writers).
-- Columns in the order of staging.loyalty_transactions and etl/catalog.c.
COPY (SELECT id,
       brand_id,
       type,
       user_ref,
       perk_id,
       reward_id,
       usd_amount,
       rsnc_amount,
       tx_hash,
       metadata,
       created_at,
       updated_at
      FROM public.loyalty_transactions
      WHERE updated_at >= current_setting('almanac.watermark')::timestamptz)
TO STDOUT
