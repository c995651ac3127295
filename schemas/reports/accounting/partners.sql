-- Partners as they were at the month's end ($2 exclusive): the seed's
-- Partner export (ID, Name, Email, Credits Total = bought, Credits Used =
-- consumed, Event Count = events held, Active Status, Created Date), to the
-- end of the month, then the contract value and unallocated credits.
WITH b AS (SELECT $1::date AS start_date, $2::date::timestamptz AS end_ts, $2::date AS end_date),
credits AS (
    SELECT f.partner_id,
           coalesce(sum(f.credits) FILTER (WHERE f.kind = 'purchase'), 0) AS bought,
           coalesce(sum(f.credits) FILTER (WHERE f.kind = 'consumption'), 0) AS used,
           coalesce(sum(f.credits) FILTER (WHERE f.kind = 'allocation'), 0) AS allocated
    FROM dw.fact_credit_movement f, b
    WHERE f.partner_id IS NOT NULL AND f.created_at < b.end_ts
    GROUP BY f.partner_id
),
events AS (
    SELECT e.partner_id, count(*) AS n FROM dw.dim_event e, b
    WHERE e.event_date < b.end_date GROUP BY e.partner_id
)
SELECT p.partner_id, p.name, p.email, coalesce(c.bought, 0), coalesce(c.used, 0),
       coalesce(ev.n, 0), p.status, p.created_at::date::text, p.contract_value_usd,
       coalesce(c.bought, 0) - coalesce(c.allocated, 0)
FROM dw.dim_partner p
CROSS JOIN b
LEFT JOIN credits c ON c.partner_id = p.partner_id
LEFT JOIN events ev ON ev.partner_id = p.partner_id
WHERE p.valid_from < b.end_ts AND b.end_ts <= p.valid_to
ORDER BY p.partner_id
