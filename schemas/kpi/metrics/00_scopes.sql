-- The scopes a period reports on, rebuilt for each pass (current and
-- previous period). Every scope listed here gets a row for each of its
-- metrics, zero when nothing happened: a partner statement shows "0 events",
-- not a missing line.
ANALYZE kpi_p;
DROP TABLE IF EXISTS kpi_partners, kpi_types, kpi_brands, kpi_at_end, kpi_at_start;

-- The version of every partner at the period's end and at its start
-- (SCD2: valid_from <= t < valid_to for t = the last instant before the
-- boundary, i.e. valid_from < boundary <= valid_to).
CREATE TEMP TABLE kpi_at_end ON COMMIT DROP AS
SELECT d.partner_id, d.status, d.contract_value_usd
FROM dw.dim_partner d, kpi_p p
WHERE d.valid_from < p.end_ts AND d.valid_to >= p.end_ts;

CREATE TEMP TABLE kpi_at_start ON COMMIT DROP AS
SELECT d.partner_id, d.status
FROM dw.dim_partner d, kpi_p p
WHERE d.valid_from < p.start_ts AND d.valid_to >= p.start_ts;

-- Partner scopes: partners approved at some point and not pending or
-- rejected at the period's end (partners_total).
CREATE TEMP TABLE kpi_partners ON COMMIT DROP AS
SELECT partner_id FROM kpi_at_end WHERE status IN ('approved', 'deactivated');

-- The four event types of the source schema, with or without events.
CREATE TEMP TABLE kpi_types ON COMMIT DROP AS
SELECT event_type FROM (VALUES ('wedding'), ('corporate'), ('holiday'), ('other')) AS t(event_type);

CREATE TEMP TABLE kpi_brands ON COMMIT DROP AS
SELECT b.brand_id FROM dw.dim_brand b, kpi_p p WHERE b.created_at < p.end_ts;

ANALYZE kpi_at_end;
ANALYZE kpi_partners;
