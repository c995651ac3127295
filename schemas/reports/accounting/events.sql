-- Events held in the month [$1, $2): the seed's Event export (Event ID,
-- Name, Slug, Partner, Client, Credits Allocated, Credits Used, Generations
-- Count, Created Date), credits used and generations up to the month's end,
-- then the day held and the type.
--
-- The month's events are summed in one grouped join per fact, not a
-- subquery per event: fact_credit_movement has no index on event_id, and
-- a correlated subquery read the whole fact once per event (at scale 10,
-- 12,957 events of a month times 2.1 million movements: 494 s of the
-- monthly job).
WITH b AS (SELECT $2::date::timestamptz AS end_ts),
ev AS (
    SELECT e.*
    FROM dw.dim_event e
    WHERE e.event_date >= $1::date AND e.event_date < $2::date
)
SELECT e.event_id, e.name, e.slug, p.name, e.client_name, e.credits_allocated,
       coalesce(u.used, 0), coalesce(g.n, 0),
       e.created_at::date::text, e.event_date::text, e.event_type
FROM ev e
CROSS JOIN b
LEFT JOIN dw.dim_partner p ON p.partner_id = e.partner_id AND p.is_current
LEFT JOIN (SELECT f.event_id, sum(f.credits) AS used
           FROM dw.fact_credit_movement f, b
           WHERE f.kind = 'consumption' AND f.created_at < b.end_ts
             AND f.event_id IN (SELECT event_id FROM ev)
           GROUP BY f.event_id) u ON u.event_id = e.event_id
LEFT JOIN (SELECT g.event_id, count(*) AS n
           FROM dw.fact_generation g, b
           WHERE g.created_at < b.end_ts
             AND g.event_id IN (SELECT event_id FROM ev)
           GROUP BY g.event_id) g ON g.event_id = e.event_id
ORDER BY e.event_date, e.event_id
