-- Partner List (seed 000): every partner as it stood at the end of the
-- range: its name and status then (the dim_partner version valid at the last
-- instant of the range), and its credits and events from the start up to
-- then. Σ Credits Used ÷ Σ Credits Total is consumption_ratio_pct at the
-- end of the range (docs/kpis.md).
WITH b AS (
    SELECT current_setting('almanac.export_to')::timestamptz AS end_at
), credits AS (
    SELECT c.partner_id,
           sum(c.credits) FILTER (WHERE c.kind = 'purchase') AS bought,
           sum(c.credits) FILTER (WHERE c.kind = 'consumption') AS used
    FROM dw.fact_credit_movement c, b
    WHERE c.partner_id IS NOT NULL AND c.kind IN ('purchase', 'consumption')
      AND c.created_at < b.end_at
    GROUP BY c.partner_id
), events AS (
    SELECT e.partner_id, count(*) AS n
    FROM dw.dim_event e, b
    WHERE e.created_at < b.end_at
    GROUP BY e.partner_id
)
SELECT p.partner_id AS "ID",
       p.name AS "Name",
       p.email AS "Email",
       coalesce(c.bought, 0) AS "Credits Total",
       coalesce(c.used, 0) AS "Credits Used",
       coalesce(e.n, 0) AS "Event Count",
       CASE p.status WHEN 'approved' THEN 'active'
                     WHEN 'deactivated' THEN 'inactive'
                     ELSE p.status END AS "Active Status",
       p.created_at::date AS "Created Date"
FROM b
JOIN dw.dim_partner p ON p.valid_from < b.end_at AND b.end_at <= p.valid_to
LEFT JOIN credits c ON c.partner_id = p.partner_id
LEFT JOIN events e ON e.partner_id = p.partner_id
ORDER BY p.partner_id
