-- Extract of loyalty_brands: every row changed at or after the watermark (see
-- docs/etl.md for why the watermark is safe under concurrent writers).
-- Columns in the order of staging.loyalty_brands and etl/catalog.c.
COPY (SELECT id,
       name,
       created_at,
       updated_at
      FROM public.loyalty_brands
      WHERE updated_at >= current_setting('almanac.watermark')::timestamptz)
TO STDOUT
