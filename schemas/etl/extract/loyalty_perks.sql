-- Extract of loyalty_perks: every row changed at or after the watermark (see
-- docs/etl.md for why the watermark is safe under concurrent writers).
-- Columns in the order of staging.loyalty_perks and etl/catalog.c.
COPY (SELECT id,
       brand_id,
       name,
       price_rsnc,
       value_usd,
       total_supply,
       active,
       created_at,
       updated_at
      FROM public.loyalty_perks
      WHERE updated_at >= current_setting('almanac.watermark')::timestamptz)
TO STDOUT
