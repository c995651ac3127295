-- Extract of styles: every row changed at or after the watermark (see
-- docs/etl.md for why the watermark is safe under concurrent writers).
-- Columns in the order of staging.styles and etl/catalog.c.
COPY (SELECT id,
       name,
       category,
       active,
       created_at,
       updated_at
      FROM public.styles
      WHERE updated_at >= current_setting('almanac.watermark')::timestamptz)
TO STDOUT
