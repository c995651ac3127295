-- Partner segments (months only): kpi_seg rows for the partners active at
-- the month's end, then partners_in_segment and segment_share_pct. The
-- movement from the month before needs both passes' segments: the engine
-- adds it afterwards (queries/segment_movement.sql).
--   e = events held in the 90 days before the end / 3
--   u = lifetime credits used / credits bought x 100
--   dormant: no event in those 90 days; power: e >= 10 and u >= 80;
--   active: e >= 3 and u >= 50; otherwise occasional.
WITH partners AS (
    SELECT a.partner_id FROM kpi_at_end a, kpi_p p WHERE a.status = 'approved' AND p.grain = 'month'
), ev AS (
    SELECT e.partner_id, count(*) AS n
    FROM dw.dim_event e, kpi_p p
    WHERE e.event_date >= p.end_date - 90 AND e.event_date < p.end_date
    GROUP BY e.partner_id
), cr AS (
    SELECT partner_id,
           coalesce(sum(credits) FILTER (WHERE kind = 'purchase'), 0) AS bought,
           coalesce(sum(credits) FILTER (WHERE kind = 'consumption'), 0) AS used
    FROM kpi_credit_at_end
    WHERE partner_id IS NOT NULL
    GROUP BY partner_id
), x AS (
    SELECT k.partner_id, coalesce(ev.n, 0) AS n, coalesce(ev.n, 0) / 3.0 AS e,
           coalesce(cr.bought, 0) AS bought, coalesce(cr.used, 0) AS used,
           100.0 * coalesce(cr.used, 0) / nullif(cr.bought, 0) AS u
    FROM partners k
    LEFT JOIN ev ON ev.partner_id = k.partner_id
    LEFT JOIN cr ON cr.partner_id = k.partner_id
)
INSERT INTO kpi_seg (which, partner_id, segment, events_90d, events_per_month, credits_bought,
                     credits_used, usage_pct)
SELECT p.which, x.partner_id,
       CASE WHEN x.n = 0 THEN 'dormant'
            WHEN x.e >= 10 AND x.u >= 80 THEN 'power'
            WHEN x.e >= 3 AND x.u >= 50 THEN 'active'
            ELSE 'occasional' END,
       x.n, x.e, x.bought, x.used, x.u
FROM kpi_p p, x;

WITH segs AS (
    SELECT * FROM (VALUES ('power'), ('active'), ('occasional'), ('dormant')) AS s(segment)
), counts AS (
    SELECT s.segment, count(k.partner_id) AS n
    FROM segs s CROSS JOIN kpi_p p
    LEFT JOIN kpi_seg k ON k.which = p.which AND k.segment = s.segment
    GROUP BY s.segment
), shares AS (
    SELECT segment, n, sum(n) OVER () AS total FROM counts
)
INSERT INTO kpi_raw (which, code, scope, breakdown, value, unit)
SELECT p.which, x.code, 'platform', 'segment:' || c.segment, x.value, x.unit
FROM kpi_p p, shares c
CROSS JOIN LATERAL (VALUES
    ('partners_in_segment', c.n::numeric, 'count'),
    ('segment_share_pct', 100.0 * c.n / nullif(c.total, 0), 'pct')
) AS x(code, value, unit)
WHERE p.grain = 'month';
