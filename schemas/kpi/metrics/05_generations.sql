-- The period's generations, aggregated once by style, event, channel,
-- local weekday and hour: generations_total, the style metrics and the
-- peak-usage cells all read this instead of scanning the fact again.
DROP TABLE IF EXISTS kpi_gen_agg;
CREATE TEMP TABLE kpi_gen_agg ON COMMIT DROP AS
SELECT g.style_id, g.event_id, g.b2c_user_id IS NOT NULL AS b2c,
       extract(isodow FROM g.created_at)::int AS weekday,
       extract(hour FROM g.created_at)::int AS hour,
       count(*) AS n
FROM dw.fact_generation g, kpi_p p
WHERE g.created_at >= p.start_ts AND g.created_at < p.end_ts
GROUP BY 1, 2, 3, 4, 5;

DROP TABLE IF EXISTS kpi_gen;
CREATE TEMP TABLE kpi_gen ON COMMIT DROP AS
SELECT a.style_id, a.event_id, e.partner_id, e.event_type, a.b2c, a.weekday, a.hour, a.n
FROM kpi_gen_agg a
LEFT JOIN dw.dim_event e ON e.event_id = a.event_id;
ANALYZE kpi_gen;
