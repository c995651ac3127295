-- Demo data, step 3: the style catalogue.
--
-- Style k has category (k - 1) % 6 (portrait, artistic, vintage, cartoon,
-- fantasy, seasonal). Planted:
--   * style 2 ("Óleo Impresionista", artistic, a popular one) is of poor
--     quality: its images are deleted far more often (060_generations.sql,
--     'poor_quality_style');
--   * the last three styles are available only part of the time:
--       n     retired (active = false) at the start of month 18,
--       n - 1 still active but unused since the start of month 20
--             (an "inactive style" by the 90-day rule),
--       n - 2 new, added in month 30;
--   * fantasy styles cost 2 credits per image, the others 1.

CREATE TEMP TABLE demo_style ON COMMIT DROP AS
SELECT p.n_styles AS n,
       m30.ms + interval '3 days' AS new_from,
       m20.ms                     AS unused_from,
       m18.ms                     AS retired_from
FROM demo_p p
JOIN demo_month m30 ON m30.m = 30
JOIN demo_month m20 ON m20.m = 20
JOIN demo_month m18 ON m18.m = 18;

ANALYZE demo_style;

INSERT INTO styles (id, name, category, active, created_at, updated_at)
SELECT k,
       (almanac_demo.words('style'))[1 + (k - 1) % 24]
           || CASE WHEN k > 24 THEN ' ' || (1 + (k - 1) / 24)::text ELSE '' END,
       (ARRAY['portrait', 'artistic', 'vintage', 'cartoon', 'fantasy', 'seasonal'])[1 + (k - 1) % 6],
       k <> ds.n,
       c.created_at,
       CASE WHEN k = ds.n THEN ds.retired_from ELSE c.created_at END
FROM demo_p p
CROSS JOIN demo_style ds
CROSS JOIN generate_series(1, p.n_styles) AS k
CROSS JOIN LATERAL (
    -- The launch catalogue predates the history; the new style arrives later.
    SELECT CASE WHEN k = ds.n - 2 THEN ds.new_from
                ELSE p.t0 - interval '30 days' + make_interval(hours => k::integer) END AS created_at
) c;
