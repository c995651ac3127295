-- The bounds of the period's fact scans, here and in the other metric
-- files, are scalar subqueries on kpi_p, computed once before the scan:
-- joining kpi_p instead made the scan a parameterised nested loop, at
-- scale 10 a third slower (and one with interval arithmetic in it redid
-- that for every row). Reads of dimensions and work tables still join it.

-- The period's generations, aggregated once by style, event and channel:
-- generations_total and the style metrics read this instead of scanning
-- the fact again. The peak-usage cells (local weekday and hour) come from
-- a second, narrower grouping by local hour: taking the weekday and hour
-- of every row (two time-zone conversions each) cost three times the
-- scan, at scale 10 about 0.7 s of a pass.
DROP TABLE IF EXISTS kpi_gen_agg;
CREATE TEMP TABLE kpi_gen_agg ON COMMIT DROP AS
SELECT g.style_id, g.event_id, g.b2c_user_id IS NOT NULL AS b2c, count(*) AS n
FROM dw.fact_generation g
WHERE g.created_at >= (SELECT start_ts FROM kpi_p) AND g.created_at < (SELECT end_ts FROM kpi_p)
GROUP BY 1, 2, 3;

DROP TABLE IF EXISTS kpi_gen;
CREATE TEMP TABLE kpi_gen ON COMMIT DROP AS
SELECT a.style_id, a.event_id, e.partner_id, e.event_type, a.b2c, a.n
FROM kpi_gen_agg a
LEFT JOIN dw.dim_event e ON e.event_id = a.event_id;
ANALYZE kpi_gen;

-- date_trunc truncates in the session's (business) time zone, so each
-- bucket is one local hour; a local hour repeated when clocks go back is
-- two buckets, both counted under that hour.
DROP TABLE IF EXISTS kpi_gen_hours;
CREATE TEMP TABLE kpi_gen_hours ON COMMIT DROP AS
SELECT h.b2c, extract(isodow FROM h.local_hour)::int AS weekday,
       extract(hour FROM h.local_hour)::int AS hour, sum(h.n) AS n
FROM (SELECT g.b2c_user_id IS NOT NULL AS b2c, date_trunc('hour', g.created_at) AS local_hour,
             count(*) AS n
      FROM dw.fact_generation g
      WHERE g.created_at >= (SELECT start_ts FROM kpi_p) AND g.created_at < (SELECT end_ts FROM kpi_p)
      GROUP BY 1, 2) h
GROUP BY 1, 2, 3;

-- Generations per style and event type, for the style and category
-- shares (60_styles.sql): a few thousand rows instead of one per style
-- and event.
DROP TABLE IF EXISTS kpi_gen_style;
CREATE TEMP TABLE kpi_gen_style ON COMMIT DROP AS
SELECT style_id, event_type, sum(n) AS n
FROM kpi_gen
GROUP BY 1, 2;
ANALYZE kpi_gen_style;
