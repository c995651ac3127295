-- Event List (seed 000): the events held in the range (event_date, a local
-- day), as events_total counts them, with the partner's name at the end of
-- the range. Credits Used and Generations Count are the event's whole
-- consumption and generations, whenever made, as avg_generations_per_event
-- counts them (docs/kpis.md).
WITH b AS (
    SELECT current_setting('almanac.export_from')::date AS from_day,
           current_setting('almanac.export_to')::date AS to_day,
           current_setting('almanac.export_to')::timestamptz AS end_at
), ev AS (
    SELECT e.*
    FROM dw.dim_event e, b
    WHERE e.event_date >= b.from_day AND e.event_date < b.to_day
)
SELECT e.event_id AS "Event ID",
       e.name AS "Name",
       e.slug AS "Slug",
       coalesce(pv.name, pc.name) AS "Partner",
       e.client_name AS "Client",
       e.credits_allocated AS "Credits Allocated",
       coalesce(u.used, 0) AS "Credits Used",
       coalesce(g.n, 0) AS "Generations Count",
       e.created_at::date AS "Created Date"
FROM ev e
CROSS JOIN b
LEFT JOIN dw.dim_partner pv ON pv.partner_id = e.partner_id
                           AND pv.valid_from < b.end_at AND b.end_at <= pv.valid_to
LEFT JOIN dw.dim_partner pc ON pc.partner_id = e.partner_id AND pc.is_current
LEFT JOIN (SELECT c.event_id, sum(c.credits) AS used
           FROM dw.fact_credit_movement c
           WHERE c.kind = 'consumption' AND c.event_id IN (SELECT event_id FROM ev)
           GROUP BY c.event_id) u ON u.event_id = e.event_id
LEFT JOIN (SELECT g.event_id, count(*) AS n
           FROM dw.fact_generation g
           WHERE g.event_id IN (SELECT event_id FROM ev)
           GROUP BY g.event_id) g ON g.event_id = e.event_id
ORDER BY e.event_date, e.event_id
