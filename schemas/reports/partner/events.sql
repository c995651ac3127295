-- The partner's events held in the month. $1 month start, $2 month end,
-- $3 partner id.
SELECT event_date::text, name, event_type, client_name, credits_allocated
FROM dw.dim_event
WHERE partner_id = $3::bigint AND event_date >= $1::date AND event_date < $2::date
ORDER BY event_date, event_id
