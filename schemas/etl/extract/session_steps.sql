-- Extract of session_steps: every row changed at or after the watermark (see
-- docs/etl.md for why the watermark is safe under concurrent writers).
-- Columns in the order of staging.session_steps and etl/catalog.c.
COPY (SELECT id,
       session_id,
       step,
       occurred_at,
       updated_at
      FROM public.session_steps
      WHERE updated_at >= current_setting('almanac.watermark')::timestamptz)
TO STDOUT
