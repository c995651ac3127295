-- Extract of subscriptions: every row changed at or after the watermark (see
-- docs/etl.md for why the watermark is safe under concurrent writers).
-- Columns in the order of staging.subscriptions and etl/catalog.c.
COPY (SELECT id,
       b2c_user_id,
       plan,
       monthly_fee_usd,
       started_at,
       ended_at,
       updated_at
      FROM public.subscriptions
      WHERE updated_at >= current_setting('almanac.watermark')::timestamptz)
TO STDOUT
