-- Extract of api_requests: every row changed at or after the watermark (see
-- docs/etl.md for why the watermark is safe under concurrent writers).
-- Columns in the order of staging.api_requests and etl/catalog.c.
COPY (SELECT id,
       requested_at,
       method,
       endpoint,
       status_code,
       duration_ms,
       api_key,
       client_ip,
       updated_at
      FROM public.api_requests
      WHERE updated_at >= current_setting('almanac.watermark')::timestamptz)
TO STDOUT
