-- Events held in the month [$1, $2): the seed's Event export (Event ID,
-- Name, Slug, Partner, Client, Credits Allocated, Credits Used, Generations
-- Count, Created Date), credits used and generations up to the month's end,
-- then the day held and the type.
WITH b AS (SELECT $2::date::timestamptz AS end_ts)
SELECT e.event_id, e.name, e.slug, p.name, e.client_name, e.credits_allocated,
       (SELECT coalesce(sum(f.credits), 0) FROM dw.fact_credit_movement f
        WHERE f.event_id = e.event_id AND f.kind = 'consumption' AND f.created_at < b.end_ts),
       (SELECT count(*) FROM dw.fact_generation g
        WHERE g.event_id = e.event_id AND g.created_at < b.end_ts),
       e.created_at::date::text, e.event_date::text, e.event_type
FROM dw.dim_event e
CROSS JOIN b
LEFT JOIN dw.dim_partner p ON p.partner_id = e.partner_id AND p.is_current
WHERE e.event_date >= $1::date AND e.event_date < $2::date
ORDER BY e.event_date, e.event_id
