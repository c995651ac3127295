-- Extract of events: every row changed at or after the watermark (see
-- docs/etl.md for why the watermark is safe under concurrent writers).
-- Columns in the order of staging.events and etl/catalog.c.
COPY (SELECT id,
       partner_id,
       name,
       slug,
       event_type,
       client_name,
       event_date,
       credits_allocated,
       created_at,
       updated_at
      FROM public.events
      WHERE updated_at >= current_setting('almanac.watermark')::timestamptz)
TO STDOUT
