-- Events, generations and partner credits: events_total, events_cumulative,
-- generations_total, avg_generations_per_event, credits_bought, credits_used,
-- credits_in_channels, credits_in_circulation, consumption_ratio_pct.

-- Events by the day they are held (event_date is already a local date).
-- Generations at those events are counted whenever they were made.
DROP TABLE IF EXISTS kpi_ev;
CREATE TEMP TABLE kpi_ev ON COMMIT DROP AS
SELECT e.event_id, e.partner_id, e.event_type,
       (SELECT count(*) FROM dw.fact_generation g WHERE g.event_id = e.event_id) AS generations
FROM dw.dim_event e, kpi_p p
WHERE e.event_date >= p.start_date AND e.event_date < p.end_date;

-- Each grouping set names its scope, so that the scopes join by equality
-- (a hash join): IS NOT DISTINCT FROM on the keys compared every scope with
-- every group, 15 million comparisons a pass at scale 10.
WITH ev_cum AS (
    SELECT CASE WHEN GROUPING(e.partner_id) = 0 THEN 'partner:' || e.partner_id
                WHEN GROUPING(e.event_type) = 0 THEN 'event_type:' || e.event_type
                ELSE 'platform' END AS scope,
           count(*) AS n
    FROM dw.dim_event e, kpi_p p
    WHERE e.event_date < p.end_date
    GROUP BY GROUPING SETS ((), (e.partner_id), (e.event_type))
), ev AS (
    SELECT CASE WHEN GROUPING(partner_id) = 0 THEN 'partner:' || partner_id
                WHEN GROUPING(event_type) = 0 THEN 'event_type:' || event_type
                ELSE 'platform' END AS scope,
           count(*) AS n, sum(generations) AS gens
    FROM kpi_ev
    GROUP BY GROUPING SETS ((), (partner_id), (event_type))
), scopes AS (
    SELECT 'platform' AS scope
    UNION ALL SELECT 'partner:' || partner_id FROM kpi_partners
    UNION ALL SELECT 'event_type:' || event_type FROM kpi_types
), joined AS (
    SELECT s.scope,
           coalesce(ev.n, 0) AS n, coalesce(ev.gens, 0) AS gens, coalesce(ev_cum.n, 0) AS cum
    FROM scopes s
    LEFT JOIN ev ON ev.scope = s.scope
    LEFT JOIN ev_cum ON ev_cum.scope = s.scope
)
INSERT INTO kpi_raw (which, code, scope, breakdown, value, unit)
SELECT p.which, x.code, j.scope, '', x.value, 'count'
FROM kpi_p p, joined j
CROSS JOIN LATERAL (VALUES
    ('events_total', j.n::numeric),
    ('events_cumulative', j.cum::numeric),
    ('avg_generations_per_event', j.gens::numeric / nullif(j.n, 0))
) AS x(code, value);

-- Generations made in the period, by channel, partner and event type.
WITH by_scope AS (
    SELECT partner_id, event_type, sum(n) AS n
    FROM kpi_gen WHERE NOT b2c
    GROUP BY GROUPING SETS ((partner_id), (event_type))
)
INSERT INTO kpi_raw (which, code, scope, breakdown, value, unit)
SELECT p.which, 'generations_total', x.scope, x.breakdown, x.value, 'count'
FROM kpi_p p,
     LATERAL (SELECT 'platform' AS scope, '' AS breakdown, coalesce((SELECT sum(n) FROM kpi_gen), 0) AS value
              UNION ALL
              SELECT 'platform', 'channel:partner', coalesce((SELECT sum(n) FROM kpi_gen WHERE NOT b2c), 0)
              UNION ALL
              SELECT 'platform', 'channel:b2c', coalesce((SELECT sum(n) FROM kpi_gen WHERE b2c), 0)
              UNION ALL
              SELECT 'partner:' || k.partner_id, '', coalesce(s.n, 0)
              FROM kpi_partners k LEFT JOIN by_scope s ON s.partner_id = k.partner_id
              UNION ALL
              SELECT 'event_type:' || t.event_type, '', coalesce(s.n, 0)
              FROM kpi_types t LEFT JOIN by_scope s ON s.event_type = t.event_type) x;

-- Partner credits. In the period: bought and used. At the end (lifetime):
-- unallocated credits, credits in circulation, consumption ratio.
WITH period AS (
    SELECT c.partner_id,
           coalesce(sum(c.credits) FILTER (WHERE c.kind = 'purchase'), 0) AS bought_p,
           coalesce(sum(c.credits) FILTER (WHERE c.kind = 'consumption'), 0) AS used_p
    FROM dw.fact_credit_movement c
    WHERE c.partner_id IS NOT NULL AND c.kind IN ('purchase', 'consumption')
      AND c.created_at >= (SELECT start_ts FROM kpi_p) AND c.created_at < (SELECT end_ts FROM kpi_p)
    GROUP BY c.partner_id
), life AS (
    SELECT partner_id,
           coalesce(sum(credits) FILTER (WHERE kind = 'purchase'), 0) AS bought,
           coalesce(sum(credits) FILTER (WHERE kind = 'allocation'), 0) AS allocated,
           coalesce(sum(credits) FILTER (WHERE kind = 'consumption'), 0) AS used
    FROM kpi_credit_at_end
    WHERE partner_id IS NOT NULL
    GROUP BY partner_id
), per_partner AS (
    -- Every partner with a movement in the period has one before its end.
    SELECT l.partner_id, coalesce(x.bought_p, 0) AS bought_p, coalesce(x.used_p, 0) AS used_p,
           l.bought, l.allocated, l.used
    FROM life l LEFT JOIN period x ON x.partner_id = l.partner_id
), circulation AS (
    SELECT coalesce(sum(credits) FILTER (WHERE kind IN ('purchase', 'b2c_purchase', 'subscription')), 0)
         - coalesce(sum(credits) FILTER (WHERE kind IN ('consumption', 'refund')), 0) AS n
    FROM kpi_credit_at_end
), scoped AS (
    SELECT 'partner:' || k.partner_id AS scope,
           coalesce(x.bought_p, 0) AS bought_p, coalesce(x.used_p, 0) AS used_p,
           coalesce(x.bought, 0) AS bought, coalesce(x.allocated, 0) AS allocated, coalesce(x.used, 0) AS used
    FROM kpi_partners k LEFT JOIN per_partner x ON x.partner_id = k.partner_id
    UNION ALL
    SELECT 'platform', coalesce(sum(bought_p), 0), coalesce(sum(used_p), 0), coalesce(sum(bought), 0),
           coalesce(sum(allocated), 0), coalesce(sum(used), 0)
    FROM per_partner
), ins AS (
    SELECT (SELECT value FROM kpi_params WHERE section = 'insights' AND rule = 'consumption'
              AND key = 'training_issue_below_pct') AS low,
           (SELECT value FROM kpi_params WHERE section = 'insights' AND rule = 'consumption'
              AND key = 'upsell_above_pct') AS high
)
INSERT INTO kpi_raw (which, code, scope, breakdown, value, unit, flag)
SELECT p.which, x.code, s.scope, '', x.value, 'credits', NULL
FROM kpi_p p, scoped s
CROSS JOIN LATERAL (VALUES
    ('credits_bought', s.bought_p::numeric),
    ('credits_used', s.used_p::numeric),
    ('credits_in_channels', (s.bought - s.allocated)::numeric)
) AS x(code, value)
UNION ALL
SELECT p.which, 'consumption_ratio_pct', s.scope, '', r.pct, 'pct',
       CASE WHEN r.pct < ins.low THEN 'training_issue' WHEN r.pct > ins.high THEN 'upsell' END
FROM kpi_p p, ins, scoped s
CROSS JOIN LATERAL (SELECT 100.0 * s.used / nullif(s.bought, 0) AS pct) r
UNION ALL
SELECT p.which, 'credits_in_circulation', 'platform', '', circulation.n::numeric, 'credits', NULL
FROM kpi_p p, circulation;
