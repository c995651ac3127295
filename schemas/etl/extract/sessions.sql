-- Extract of sessions: every row changed at or after the watermark (see
-- docs/etl.md for why the watermark is safe under concurrent writers).
-- Columns in the order of staging.sessions and etl/catalog.c.
COPY (SELECT id,
       b2c_user_id,
       started_at,
       ended_at,
       device,
       updated_at
      FROM public.sessions
      WHERE updated_at >= current_setting('almanac.watermark')::timestamptz)
TO STDOUT
