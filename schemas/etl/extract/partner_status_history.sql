-- Extract of partner_status_history: every row changed at or after the watermark (see
-- docs/etl.md for why the watermark is safe under concurrent writers).
-- Columns in the order of staging.partner_status_history and etl/catalog.c.
COPY (SELECT id,
       partner_id,
       changed_at,
       status,
       contract_value_usd,
       name,
       updated_at
      FROM public.partner_status_history
      WHERE updated_at >= current_setting('almanac.watermark')::timestamptz)
TO STDOUT
