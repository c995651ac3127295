-- Extract of health_checks: every row changed at or after the watermark (see
-- docs/etl.md for why the watermark is safe under concurrent writers).
-- Columns in the order of staging.health_checks and etl/catalog.c.
COPY (SELECT id,
       component,
       checked_at,
       status,
       response_ms,
       updated_at
      FROM public.health_checks
      WHERE updated_at >= current_setting('almanac.watermark')::timestamptz)
TO STDOUT
