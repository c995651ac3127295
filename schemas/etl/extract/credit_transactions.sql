-- Extract of credit_transactions: every row changed at or after the watermark (see
-- docs/etl.md for why the watermark is safe under concurrent writers).
-- Columns in the order of staging.credit_transactions and etl/catalog.c.
COPY (SELECT id,
       kind,
       partner_id,
       b2c_user_id,
       event_id,
       credits,
       amount_usd,
       pack_size,
       promo_code,
       actor,
       description,
       created_at,
       updated_at
      FROM public.credit_transactions
      WHERE updated_at >= current_setting('almanac.watermark')::timestamptz)
TO STDOUT
