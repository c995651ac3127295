-- Extract of b2c_users: every row changed at or after the watermark (see
-- docs/etl.md for why the watermark is safe under concurrent writers).
-- Columns in the order of staging.b2c_users and etl/catalog.c.
COPY (SELECT id,
       email,
       display_name,
       country,
       created_at,
       updated_at
      FROM public.b2c_users
      WHERE updated_at >= current_setting('almanac.watermark')::timestamptz)
TO STDOUT
