-- Extract of partner_applications: every row changed at or after the watermark (see
-- docs/etl.md for why the watermark is safe under concurrent writers).
-- Columns in the order of staging.partner_applications and etl/catalog.c.
COPY (SELECT id,
       company_name,
       contact_email,
       submitted_at,
       status,
       decided_at,
       partner_id,
       updated_at
      FROM public.partner_applications
      WHERE updated_at >= current_setting('almanac.watermark')::timestamptz)
TO STDOUT
