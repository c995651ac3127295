-- Extract of activity_log: every row changed at or after the watermark (see
-- docs/etl.md for why the watermark is safe under concurrent writers).
-- Columns in the order of staging.activity_log and etl/catalog.c.
COPY (SELECT id,
       occurred_at,
       actor,
       actor_type,
       action,
       ip,
       details,
       updated_at
      FROM public.activity_log
      WHERE updated_at >= current_setting('almanac.watermark')::timestamptz)
TO STDOUT
