-- Generation Stats (seed 000): every generation made in the range. Event is
-- the event's name (empty for a B2C generation); User is the B2C user's id
-- (empty at a partner's event: guests are anonymous, and the warehouse keeps
-- no names or emails of end users). Times are local, to the second.
SELECT g.generation_id AS "Generation ID",
       e.name AS "Event",
       g.b2c_user_id AS "User",
       s.name AS "Style",
       date_trunc('second', g.created_at::timestamp) AS "Timestamp",
       g.status AS "Status"
FROM dw.fact_generation g
JOIN dw.dim_style s ON s.style_id = g.style_id
LEFT JOIN dw.dim_event e ON e.event_id = g.event_id
WHERE g.created_at >= current_setting('almanac.export_from')::timestamptz
  AND g.created_at < current_setting('almanac.export_to')::timestamptz
ORDER BY g.created_at, g.generation_id
