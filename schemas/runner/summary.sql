-- The summary `almanac run daily --summary` prints for cron mail:
-- (section, label, value) rows, in order. $1 grain, $2 start, $3 end
-- (local dates), $4 business time zone.
WITH b AS (
    SELECT ($2::date)::timestamp AT TIME ZONE $4 AS s, ($3::date)::timestamp AT TIME ZONE $4 AS e
), k AS (
    SELECT r.code, r.value, r.prev_value, r.unit, r.band
    FROM kpi.results r
    WHERE r.grain = $1 AND r.period_start = $2::date AND r.scope = 'platform' AND r.breakdown = ''
), key_numbers AS (
    SELECT 1 AS ord, x.n AS sub, 'Key numbers' AS section, x.label,
           coalesce(CASE k.unit WHEN 'pct' THEN to_char(k.value, 'FM999990.0') || ' %'
                                WHEN 'usd' THEN to_char(k.value, 'FM999,999,999,990.00') || ' USD'
                                WHEN 'seconds' THEN to_char(k.value, 'FM9990.00') || ' s'
                                WHEN 'status' THEN CASE k.value WHEN 0 THEN 'green' WHEN 1 THEN 'amber' ELSE 'red' END
                                ELSE to_char(k.value, 'FM999,999,999,990') END, 'n/a')
           || CASE WHEN k.band = 'needs_improvement' THEN '  (needs improvement)'
                   WHEN k.band = 'watch' THEN '  (watch)' ELSE '' END AS value
    FROM (VALUES (1, 'system_pulse', 'System pulse'), (2, 'uptime_pct', 'Uptime'),
                 (3, 'error_rate_pct', 'API error rate'), (4, 'generations_total', 'Generations'),
                 (5, 'events_total', 'Events held'), (6, 'revenue_usd', 'Revenue'),
                 (7, 'b2c_new_users', 'New B2C users'), (8, 'partners_approved', 'Partners approved'),
                 (9, 'partners_active', 'Active partners')) AS x(n, code, label)
    LEFT JOIN k ON k.code = x.code
), new_partners AS (
    SELECT 2, row_number() OVER (ORDER BY d.approved_at), 'New partners', d.name,
           to_char(d.approved_at AT TIME ZONE $4, 'YYYY-MM-DD HH24:MI')
    FROM dw.dim_partner d, b
    WHERE d.is_current AND d.approved_at >= b.s AND d.approved_at < b.e
), top_events AS (
    SELECT 3, row_number() OVER (ORDER BY t.n DESC, e.event_id), 'Top events by generations',
           e.name || ' (' || e.event_type || ')', t.n::text
    FROM (SELECT g.event_id, count(*) AS n
          FROM dw.fact_generation g, b
          WHERE g.created_at >= b.s AND g.created_at < b.e AND g.event_id IS NOT NULL
          GROUP BY g.event_id ORDER BY n DESC, g.event_id LIMIT 5) t
    JOIN dw.dim_event e ON e.event_id = t.event_id
), alerts AS (
    SELECT 4, row_number() OVER (ORDER BY CASE a.severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END,
                                          a.started_at),
           'Alerts', a.severity || ' ' || a.code, a.subject || coalesce(' since ' ||
               to_char(a.started_at AT TIME ZONE $4, 'YYYY-MM-DD HH24:MI'), '')
    FROM kpi.alerts a, b
    WHERE a.started_at <= b.e AND coalesce(a.ended_at, 'infinity') >= b.s
), pending AS (
    SELECT 5, 1, 'Partner applications', 'pending', count(*)::text
             || coalesce(', oldest waiting ' || (max(extract(epoch FROM b.e - f.submitted_at)) / 3600)::int || ' h', '')
    FROM dw.fact_partner_application f, b
    WHERE f.status = 'pending' AND f.submitted_at < b.e
    GROUP BY b.e
)
SELECT section, label, value FROM (
    SELECT * FROM key_numbers
    UNION ALL SELECT * FROM new_partners
    UNION ALL SELECT * FROM top_events
    UNION ALL (SELECT * FROM alerts LIMIT 20)
    UNION ALL SELECT * FROM pending
) x
ORDER BY ord, sub
