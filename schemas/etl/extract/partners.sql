-- Extract of partners: every row changed at or after the watermark (see
-- docs/etl.md for why the watermark is safe under concurrent writers).
-- Columns in the order of staging.partners and etl/catalog.c.
COPY (SELECT id,
       name,
       email,
       status,
       contract_value_usd,
       created_at,
       approved_at,
       deactivated_at,
       updated_at
      FROM public.partners
      WHERE updated_at >= current_setting('almanac.watermark')::timestamptz)
TO STDOUT
