-- Styles and usage: styles_total, styles_active, styles_inactive,
-- style_generations, style_rank, style_share_pct, category_share_pct,
-- style_days_since_use, style_deletion_rate_pct, generations_by_hour.

DROP TABLE IF EXISTS kpi_styles;
CREATE TEMP TABLE kpi_styles ON COMMIT DROP AS
SELECT s.style_id, s.category, s.active
FROM dw.dim_style s, kpi_p p
WHERE s.created_at < p.end_ts;

-- Recent health per style: the generations of the 90 days before the end,
-- those of them deleted before the end, and the last use. A window rather
-- than the whole history: a style's quality is judged on what it does now,
-- and the query reads three months of the fact, not all of it. Both
-- passes' windows are read in one scan, by the first pass (as the lifetime
-- totals, 01_lifetime.sql): they overlap, for a week or a day almost
-- entirely. The bounds are scalar subqueries on kpi_p, computed once before
-- the scan; read from a CTE instead, they kept the planner from sharing
-- the scan with parallel workers (a CTE is read by the leader alone).
CREATE TEMP TABLE IF NOT EXISTS kpi_life_style ON COMMIT DROP AS
SELECT g.style_id,
       count(*) FILTER (WHERE g.created_at >= (SELECT cut_ts - interval '90 days' FROM kpi_p)
                          AND g.created_at < (SELECT cut_ts FROM kpi_p)) AS n_before_cut,
       count(*) FILTER (WHERE g.created_at >= (SELECT cut_ts - interval '90 days' FROM kpi_p)
                          AND g.created_at < (SELECT cut_ts FROM kpi_p)
                          AND g.deleted_at < (SELECT cut_ts FROM kpi_p)) AS deleted_before_cut,
       max(g.created_at) FILTER (WHERE g.created_at >= (SELECT cut_ts - interval '90 days' FROM kpi_p)
                                   AND g.created_at < (SELECT cut_ts FROM kpi_p)) AS last_before_cut,
       count(*) FILTER (WHERE g.created_at >= (SELECT final_end_ts - interval '90 days' FROM kpi_p))
           AS n_total,
       count(*) FILTER (WHERE g.created_at >= (SELECT final_end_ts - interval '90 days' FROM kpi_p)
                          AND g.deleted_at < (SELECT final_end_ts FROM kpi_p)) AS deleted_total,
       max(g.created_at) FILTER (WHERE g.created_at >= (SELECT final_end_ts - interval '90 days'
                                                        FROM kpi_p)) AS last_total
FROM dw.fact_generation g
WHERE g.created_at >= (SELECT least(cut_ts, final_end_ts) - interval '90 days' FROM kpi_p)
  AND g.created_at < (SELECT final_end_ts FROM kpi_p)
GROUP BY g.style_id;

DROP TABLE IF EXISTS kpi_style_life;
CREATE TEMP TABLE kpi_style_life ON COMMIT DROP AS
SELECT x.*
FROM kpi_life_style l, kpi_p p,
     LATERAL (SELECT l.style_id,
                     CASE WHEN p.end_ts = p.final_end_ts THEN l.n_total ELSE l.n_before_cut END AS n,
                     CASE WHEN p.end_ts = p.final_end_ts THEN l.deleted_total
                          ELSE l.deleted_before_cut END AS deleted,
                     CASE WHEN p.end_ts = p.final_end_ts THEN l.last_total
                          ELSE l.last_before_cut END AS last_used) x
WHERE x.n > 0;                 -- styles with a generation in this pass's window

WITH counts AS (
    SELECT 'platform' AS scope, s.style_id, coalesce(sum(g.n), 0) AS n
    FROM kpi_styles s LEFT JOIN kpi_gen_style g ON g.style_id = s.style_id
    GROUP BY s.style_id
    UNION ALL
    SELECT 'event_type:' || t.event_type, s.style_id, coalesce(sum(g.n), 0)
    FROM kpi_types t CROSS JOIN kpi_styles s
    LEFT JOIN kpi_gen_style g ON g.style_id = s.style_id AND g.event_type = t.event_type
    GROUP BY t.event_type, s.style_id
), shares AS (
    SELECT scope, style_id, n,
           100.0 * n / nullif(sum(n) OVER (PARTITION BY scope), 0) AS share,
           rank() OVER (PARTITION BY scope ORDER BY n DESC) AS rnk
    FROM counts
)
INSERT INTO kpi_raw (which, code, scope, breakdown, value, unit)
SELECT p.which, x.code, s.scope, 'style:' || s.style_id, x.value, x.unit
FROM kpi_p p, shares s
CROSS JOIN LATERAL (VALUES
    ('style_generations', s.n::numeric, 'count'),
    ('style_share_pct', s.share, 'pct'),
    ('style_rank', CASE WHEN s.scope = 'platform' THEN s.rnk END::numeric, 'rank')
) AS x(code, value, unit)
WHERE x.code <> 'style_rank' OR s.scope = 'platform';

WITH cats AS (
    SELECT DISTINCT category FROM kpi_styles
), counts AS (                  -- one join and grouping, not a subquery per cell
    SELECT 'platform' AS scope, c.category, coalesce(sum(g.n), 0) AS n
    FROM cats c
    LEFT JOIN kpi_styles s ON s.category = c.category
    LEFT JOIN kpi_gen_style g ON g.style_id = s.style_id
    GROUP BY c.category
    UNION ALL
    SELECT 'event_type:' || t.event_type, c.category, coalesce(sum(g.n), 0)
    FROM cats c
    CROSS JOIN kpi_types t
    LEFT JOIN kpi_styles s ON s.category = c.category
    LEFT JOIN kpi_gen_style g ON g.style_id = s.style_id AND g.event_type = t.event_type
    GROUP BY t.event_type, c.category
)
INSERT INTO kpi_raw (which, code, scope, breakdown, value, unit)
SELECT p.which, 'category_share_pct', c.scope, 'category:' || c.category,
       100.0 * c.n / nullif(sum(c.n) OVER (PARTITION BY c.scope), 0), 'pct'
FROM kpi_p p, counts c;

-- Style health. Inactive: switched off, or no generation in the 90 days
-- before the end. Quality issue: enough generations and a deletion rate
-- at least the configured multiple of the platform's.
WITH platform AS (
    SELECT sum(n) AS n, sum(deleted) AS deleted FROM kpi_style_life
), q AS (
    SELECT (SELECT value FROM kpi_params WHERE section = 'insights' AND rule = 'style_quality'
              AND key = 'min_generations') AS min_n,
           (SELECT value FROM kpi_params WHERE section = 'insights' AND rule = 'style_quality'
              AND key = 'rate_multiple') AS multiple
), per_style AS (
    SELECT s.style_id, s.active, l.n, l.deleted, l.last_used,
           100.0 * l.deleted / nullif(l.n, 0) AS rate
    FROM kpi_styles s LEFT JOIN kpi_style_life l ON l.style_id = s.style_id
)
INSERT INTO kpi_raw (which, code, scope, breakdown, value, unit, flag)
SELECT p.which, x.code, 'platform', x.breakdown, x.value, x.unit, x.flag
FROM kpi_p p, platform, q
CROSS JOIN LATERAL (
    SELECT 'styles_total' AS code, '' AS breakdown, (SELECT count(*) FROM kpi_styles)::numeric AS value,
           'count' AS unit, NULL::text AS flag
    UNION ALL
    SELECT 'styles_active', '', (SELECT count(*) FROM kpi_styles WHERE active), 'count', NULL
    UNION ALL
    SELECT 'styles_inactive', '',
           (SELECT count(*) FROM per_style s
            WHERE NOT s.active OR s.last_used IS NULL),
           'count', NULL
    UNION ALL
    SELECT 'style_deletion_rate_pct', '', 100.0 * platform.deleted / nullif(platform.n, 0), 'pct', NULL
    UNION ALL
    SELECT 'style_deletion_rate_pct', 'style:' || s.style_id, s.rate, 'pct',
           CASE WHEN s.n >= q.min_n
                 AND s.rate >= q.multiple * 100.0 * platform.deleted / nullif(platform.n, 0)
                THEN 'quality_issue' END
    FROM per_style s
    UNION ALL
    SELECT 'style_days_since_use', 'style:' || s.style_id,
           ((p.end_date - 1) - s.last_used::date)::numeric, 'days', NULL
    FROM per_style s
) x;

-- Peak usage: generations by local weekday and hour, per channel; every
-- cell, zeros included, so a heat map has no holes.
INSERT INTO kpi_raw (which, code, scope, breakdown, value, unit)
SELECT p.which, 'generations_by_hour', 'platform',
       'channel:' || ch || '/weekday:' || wd || '/hour:' || h, coalesce(c.n, 0), 'count'
FROM kpi_p p
CROSS JOIN (VALUES ('partner'), ('b2c')) AS chs(ch)
CROSS JOIN generate_series(1, 7) AS wd
CROSS JOIN generate_series(0, 23) AS h
LEFT JOIN kpi_gen_hours c
       ON CASE WHEN c.b2c THEN 'b2c' ELSE 'partner' END = chs.ch AND c.weekday = wd AND c.hour = h;
