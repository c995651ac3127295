-- Demo data, step 4: events (the rows are written in 070_credits.sql, once
-- the credits they used are known; this step plans them in tmp_event).
--
-- Planted seasonality: events per month and type =
--     base x mix(type) x trend(month) x factor(type, calendar month) x (1 +- 1.5 %)
-- with a mild trend of +1.2 % a month. The counts are set top-down, not
-- drawn event by event, so a classical multiplicative decomposition of the
-- monthly series recovers the factors (within 5 % at scale 1).
--
-- The month's events are then shared among the partners in proportion to
-- their size (tmp_partner.w) by cumulative rounding, so that each partner's
-- count over any run of months is within one event of its expected value:
-- that is what keeps the planted segments clear of their boundaries.
-- `base` is calibrated so that over the last three months the events equal
-- the partners' sizes: a partner of size w has about w events a month at
-- the end of history.

CREATE TEMP TABLE tmp_season ON COMMIT DROP AS
SELECT t.event_type, t.type_no, t.mix, f.moy::integer AS moy, f.factor
FROM (VALUES
    -- Weddings peak May-October, are low November-March.
    ('wedding', 1, 0.35, ARRAY[0.50, 0.55, 0.70, 0.95, 1.30, 1.50, 1.45, 1.35, 1.45, 1.25, 0.55, 0.45]),
    -- Corporate events peak September-November, dip July-August.
    ('corporate', 2, 0.30, ARRAY[1.00, 1.00, 1.00, 1.00, 1.00, 0.95, 0.60, 0.55, 1.30, 1.35, 1.30, 0.95]),
    -- Holiday parties spike in December, January and February.
    ('holiday', 3, 0.15, ARRAY[1.60, 1.45, 0.80, 0.70, 0.70, 0.65, 0.60, 0.60, 0.70, 0.80, 1.00, 2.40]),
    -- Everything else is nearly flat.
    ('other', 4, 0.20, ARRAY[1.00, 0.95, 1.00, 1.05, 1.05, 1.05, 1.00, 0.95, 1.00, 1.00, 0.95, 1.00])
) AS t(event_type, type_no, mix, f)
CROSS JOIN LATERAL unnest(t.f) WITH ORDINALITY AS f(factor, moy);

-- Partner x month: the share of the month in which the partner can hold
-- events, times its size.
CREATE TEMP TABLE tmp_pm ON COMMIT DROP AS
SELECT t.id AS partner_id, mo.m,
       greatest(mo.ms_d, t.ev_lo) AS lo_d,
       least(mo.me_d, t.ev_hi)    AS hi_d,
       t.w * (least(mo.me_d, t.ev_hi) - greatest(mo.ms_d, t.ev_lo))::float8 / mo.ndays AS wm
FROM tmp_partner t
JOIN demo_month mo ON mo.me_d > t.ev_lo AND mo.ms_d < t.ev_hi;

CREATE TEMP TABLE tmp_month_type ON COMMIT DROP AS
WITH wsum AS (
    SELECT m, sum(wm ORDER BY partner_id) AS w FROM tmp_pm GROUP BY m
), calib AS (
    SELECT (SELECT sum(w) FROM wsum WHERE m >= 33)
           / (SELECT sum(s.mix * (1 + 0.012 * mo.m) * s.factor)
              FROM demo_month mo JOIN tmp_season s ON s.moy = mo.moy
              WHERE mo.m >= 33) AS base
)
SELECT mo.m, s.event_type, s.type_no,
       round(c.base * s.mix * (1 + 0.012 * mo.m) * s.factor
             * (1 + 0.03 * (almanac_demo.u(p.seed, 200, mo.m * 10 + s.type_no) - 0.5)))::integer AS n,
       c.base
FROM demo_month mo
JOIN tmp_season s ON s.moy = mo.moy
CROSS JOIN calib c
CROSS JOIN demo_p p;

-- Monthly totals with cumulative type boundaries (wedding, corporate,
-- holiday, other) for the type assignment below.
CREATE TEMP TABLE tmp_month_n ON COMMIT DROP AS
SELECT m,
       sum(n) AS n,
       sum(n) FILTER (WHERE type_no <= 1) AS c1,
       sum(n) FILTER (WHERE type_no <= 2) AS c2,
       sum(n) FILTER (WHERE type_no <= 3) AS c3
FROM tmp_month_type
GROUP BY m;

-- Events per partner and month by cumulative rounding of the expected
-- count. The 0.999 phase gives every partner an event in its first month.
CREATE TEMP TABLE tmp_pm_n ON COMMIT DROP AS
WITH x AS (
    -- (Float sums always in partner order, so that they round the same
    -- way whatever plan the server picks.)
    SELECT pm.*, mn.n * pm.wm / sum(pm.wm) OVER (PARTITION BY pm.m ORDER BY pm.partner_id
                                                  ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS expected
    FROM tmp_pm pm
    JOIN tmp_month_n mn ON mn.m = pm.m
), cum AS (
    SELECT x.*, sum(x.expected) OVER (PARTITION BY x.partner_id ORDER BY x.m) AS xc
    FROM x
)
SELECT cum.*,
       (floor(cum.xc + 0.999) - floor(cum.xc - cum.expected + 0.999))::integer AS cnt
FROM cum;

-- One row per event: month rank in hash order, then type by position in
-- the month's type counts, then the day (weddings mostly on Saturdays,
-- parties on Fridays and Saturdays, corporate events on weekdays).
CREATE TEMP TABLE tmp_event0 ON COMMIT DROP AS
WITH e AS (
    SELECT pm.partner_id, pm.m, pm.lo_d, pm.hi_d, j,
           pm.partner_id * 100000 + pm.m * 1000 + j AS ekey
    FROM tmp_pm_n pm
    CROSS JOIN generate_series(1, pm.cnt) AS j
), ranked AS (
    SELECT e.*,
           row_number() OVER (PARTITION BY e.m ORDER BY almanac_demo.u(p.seed, 201, e.ekey), e.ekey) AS k,
           count(*) OVER (PARTITION BY e.m) AS n_real
    FROM e CROSS JOIN demo_p p
), typed AS (
    SELECT r.*,
           CASE WHEN q < mn.c1 THEN 'wedding'
                WHEN q < mn.c2 THEN 'corporate'
                WHEN q < mn.c3 THEN 'holiday'
                ELSE 'other' END AS event_type,
           r.lo_d + almanac_demo.ui(p.seed, 202, r.ekey, r.hi_d - r.lo_d)::integer AS d
    FROM ranked r
    JOIN tmp_month_n mn ON mn.m = r.m
    CROSS JOIN demo_p p
    CROSS JOIN LATERAL (SELECT (r.k - 0.5) * mn.n / r.n_real AS q) qq
)
SELECT t.partner_id, t.m, t.ekey, t.event_type, t.lo_d, t.hi_d,
       CASE
           WHEN t.event_type = 'wedding' AND almanac_demo.u(p.seed, 203, t.ekey) < 0.7 THEN
               almanac_demo.shift_dow(t.d, 6, t.lo_d, t.hi_d)
           WHEN t.event_type IN ('holiday', 'other') AND almanac_demo.u(p.seed, 203, t.ekey) < 0.4 THEN
               almanac_demo.shift_dow(t.d, 5 + almanac_demo.ui(p.seed, 204, t.ekey, 2)::integer, t.lo_d, t.hi_d)
           WHEN t.event_type = 'corporate' AND extract(isodow FROM t.d) >= 6
                AND almanac_demo.u(p.seed, 203, t.ekey) < 0.8 THEN
               almanac_demo.shift_dow(t.d, 1 + almanac_demo.ui(p.seed, 204, t.ekey, 5)::integer, t.lo_d, t.hi_d)
           ELSE t.d
       END AS d
FROM typed t
CROSS JOIN demo_p p;

-- The event plan with ids (in date order), names, the partner's style pack
-- (four styles drawn from the type's preferences) and the number of
-- generations. A reactivated partner's events never fall in its gap.
CREATE TEMP TABLE tmp_event ON COMMIT DROP AS
WITH dated AS (
    SELECT e.*,
           CASE WHEN t.react_off_at IS NOT NULL
                     AND e.d BETWEEN t.react_off_at::date AND t.react_on_at::date
                THEN t.react_on_at::date + 1 ELSE e.d END AS event_date
    FROM tmp_event0 e
    JOIN tmp_partner t ON t.id = e.partner_id
), ided AS MATERIALIZED (
    SELECT row_number() OVER (ORDER BY d.event_date, d.ekey) AS id, d.*
    FROM dated d
), draws AS MATERIALIZED (
    -- (Materialized steps, so that each helper gets plain columns and is
    -- inlined, instead of re-evaluating hashes per use.)
    SELECT i.id, i.event_type,
           almanac_demo.u(p.seed, 210, i.id) AS x1, almanac_demo.u(p.seed, 211, i.id) AS y1,
           almanac_demo.u(p.seed, 212, i.id) AS x2, almanac_demo.u(p.seed, 213, i.id) AS y2,
           almanac_demo.u(p.seed, 214, i.id) AS x3, almanac_demo.u(p.seed, 215, i.id) AS y3,
           almanac_demo.u(p.seed, 216, i.id) AS x4, almanac_demo.u(p.seed, 217, i.id) AS y4
    FROM ided i CROSS JOIN demo_p p
), cats AS MATERIALIZED (
    SELECT d.id, d.y1, d.y2, d.y3, d.y4,
           almanac_demo.cat_pick(d.event_type, d.x1) AS c1, almanac_demo.cat_pick(d.event_type, d.x2) AS c2,
           almanac_demo.cat_pick(d.event_type, d.x3) AS c3, almanac_demo.cat_pick(d.event_type, d.x4) AS c4
    FROM draws d
), palette AS MATERIALIZED (
    -- The partner's style pack for the event: four styles drawn from the
    -- type's preferences.
    SELECT c.id,
           almanac_demo.style_pick(c.c1, c.y1, ds.n) AS r1, almanac_demo.style_pick(c.c2, c.y2, ds.n) AS r2,
           almanac_demo.style_pick(c.c3, c.y3, ds.n) AS r3, almanac_demo.style_pick(c.c4, c.y4, ds.n) AS r4
    FROM cats c CROSS JOIN demo_style ds
)
SELECT i.id, i.partner_id, i.ekey, i.m, i.event_type, i.event_date,
       almanac_demo.clear_gap(
           greatest(i.event_date + time '10:00' - make_interval(days => lead_days)
                        + make_interval(mins => almanac_demo.ui(p.seed, 206, i.id, 600)::integer),
                    date_trunc('minute', t.approved_at + interval '12 hours'
                                         + almanac_demo.secs(21600 * almanac_demo.u(p.seed, 207, i.id)))),
           t.react_off_at, t.react_on_at) AS created_at,
       nm.name, nm.client_name,
       CASE i.event_type WHEN 'wedding' THEN 'boda' WHEN 'corporate' THEN 'congreso'
                         WHEN 'holiday' THEN 'fiesta' ELSE 'evento' END
           || '-' || to_char(i.event_date, 'YYYYMMDD') || '-' || i.id AS slug,
       -- Generations: the type's mean x the partner's engagement x a
       -- log-normal spread; fewer at small scales (see demo_p.gen_factor).
       greatest(1, round(p.gen_factor
                         * CASE i.event_type WHEN 'wedding' THEN 70 WHEN 'corporate' THEN 45
                                             WHEN 'holiday' THEN 60 ELSE 30 END
                         * t.quality * exp(0.35 * almanac_demo.z(p.seed, 230, i.id))))::integer AS n_gen,
       -- Guests use the booth from the event's start hour for a few hours.
       i.event_date + CASE i.event_type WHEN 'wedding' THEN time '15:00' WHEN 'corporate' THEN time '09:00'
                                        WHEN 'holiday' THEN time '19:00' ELSE time '11:00' END AS g_start,
       CASE i.event_type WHEN 'wedding' THEN 8.9 WHEN 'corporate' THEN 9 WHEN 'holiday' THEN 4.9 ELSE 10 END
           * 3600 AS g_span_s,
       almanac_demo.style_at(pl.r1, i.event_date + time '12:00', ds.n, ds.new_from, ds.unused_from, ds.retired_from) AS s1,
       almanac_demo.style_at(pl.r2, i.event_date + time '12:00', ds.n, ds.new_from, ds.unused_from, ds.retired_from) AS s2,
       almanac_demo.style_at(pl.r3, i.event_date + time '12:00', ds.n, ds.new_from, ds.unused_from, ds.retired_from) AS s3,
       almanac_demo.style_at(pl.r4, i.event_date + time '12:00', ds.n, ds.new_from, ds.unused_from, ds.retired_from) AS s4,
       t.alloc_margin, t.email
FROM ided i
JOIN palette pl ON pl.id = i.id
JOIN tmp_partner t ON t.id = i.partner_id
CROSS JOIN demo_p p
CROSS JOIN demo_style ds
CROSS JOIN LATERAL (
    SELECT CASE i.event_type WHEN 'wedding' THEN 20 + almanac_demo.ui(p.seed, 205, i.id, 100)
                             WHEN 'corporate' THEN 10 + almanac_demo.ui(p.seed, 205, i.id, 50)
                             WHEN 'holiday' THEN 7 + almanac_demo.ui(p.seed, 205, i.id, 38)
                             ELSE 3 + almanac_demo.ui(p.seed, 205, i.id, 27) END::integer AS lead_days
) ld
CROSS JOIN LATERAL almanac_demo.event_names(i.event_type, i.event_date, p.seed, i.id) AS nm;

-- Partners assign credits to an event shortly before it (1-3 days, in
-- office hours), or right after creating it when it is sooner: credits
-- allocated track the event calendar closely, so purchases do too.
ALTER TABLE tmp_event ADD COLUMN alloc_at timestamptz;
UPDATE tmp_event e SET alloc_at = greatest(
    e.created_at + interval '5 minutes',
    (e.event_date - 1 - almanac_demo.ui(p.seed, 218, e.id, 3)::integer + time '09:00')::timestamptz
        + make_interval(mins => almanac_demo.ui(p.seed, 219, e.id, 480)::integer))
FROM demo_p p;

ANALYZE tmp_event;

-- Truth: the factors used (they average 1 over the year for every type).
INSERT INTO almanac_demo.truth (kind, subject, detail)
SELECT 'seasonal_factor', s.event_type,
       jsonb_build_object('month', s.moy, 'factor', s.factor)
FROM tmp_season s;

INSERT INTO almanac_demo.truth (kind, subject, detail)
SELECT 'seasonal_model', s.event_type,
       jsonb_build_object('base_per_month', round((SELECT min(base) FROM tmp_month_type)::numeric * s.mix, 2),
                          'trend_per_month', 0.012, 'noise', 0.015,
                          'formula', 'events(month, type) = base_per_month x (1 + 0.012 x month_index) x factor(type, calendar month) x (1 +- 1.5 %)')
FROM (SELECT DISTINCT event_type, mix FROM tmp_season) s;

-- The realised monthly series (what a report of events per type and month
-- must show; malformed events excluded).
INSERT INTO almanac_demo.truth (kind, subject, detail)
SELECT 'seasonal_count', e.event_type || ':' || mo.label,
       jsonb_build_object('event_type', e.event_type, 'month', mo.label, 'events', count(*))
FROM tmp_event e
JOIN demo_month mo ON mo.ms_d = date_trunc('month', e.event_date)::date
GROUP BY e.event_type, mo.label;
