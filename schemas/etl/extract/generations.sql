-- Extract of generations: every row changed at or after the watermark (see
-- docs/etl.md for why the watermark is safe under concurrent writers).
-- Columns in the order of staging.generations and etl/catalog.c.
COPY (SELECT id,
       event_id,
       b2c_user_id,
       style_id,
       status,
       credits,
       latency_ms,
       created_at,
       deleted_at,
       updated_at
      FROM public.generations
      WHERE updated_at >= current_setting('almanac.watermark')::timestamptz)
TO STDOUT
