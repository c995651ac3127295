-- Extract of loyalty_rewards: every row changed at or after the watermark (see
-- docs/etl.md for why the watermark is safe under concurrent writers).
-- Columns in the order of staging.loyalty_rewards and etl/catalog.c.
COPY (SELECT id,
       brand_id,
       name,
       rsnc_amount,
       active,
       created_at,
       deactivated_at,
       updated_at
      FROM public.loyalty_rewards
      WHERE updated_at >= current_setting('almanac.watermark')::timestamptz)
TO STDOUT
