-- Platform health: system_pulse, uptime_pct, api_requests, error_rate_pct,
-- avg_response_s, p95_response_s.

-- system_pulse: each component's latest check in the day before the
-- period's end. 2 = red (a latest check failed), 1 = amber (slower than the
-- configured limit), 0 = green; NULL when no component reported.
INSERT INTO kpi_raw (which, code, scope, breakdown, value, unit)
SELECT p.which, 'system_pulse', 'platform', '',
       CASE WHEN count(l.component) = 0 THEN NULL
            WHEN bool_or(l.status = 'down') THEN 2
            WHEN bool_or(l.response_ms > 1000 * (SELECT value FROM kpi_params
                                                 WHERE section = 'insights' AND rule = 'system_pulse'
                                                   AND key = 'slow_response_s')) THEN 1
            ELSE 0 END,
       'status'
FROM kpi_p p
LEFT JOIN LATERAL (
    SELECT DISTINCT ON (h.component) h.component, h.status, h.response_ms
    FROM dw.fact_health_check h
    WHERE h.checked_at >= p.end_ts - interval '1 day' AND h.checked_at < p.end_ts
    ORDER BY h.component, h.checked_at DESC, h.health_check_id DESC
) l ON true
GROUP BY p.which;

-- uptime_pct: a round of checks (same checked_at) is up when every
-- component in it is up.
WITH c AS (
    SELECT h.checked_at, h.component, h.status
    FROM dw.fact_health_check h
    WHERE h.checked_at >= (SELECT start_ts FROM kpi_p) AND h.checked_at < (SELECT end_ts FROM kpi_p)
), rounds AS (
    SELECT checked_at, bool_and(status = 'up') AS up FROM c GROUP BY checked_at
)
INSERT INTO kpi_raw (which, code, scope, breakdown, value, unit)
SELECT p.which, 'uptime_pct', 'platform', '',
       100.0 * (SELECT count(*) FROM rounds WHERE up) / nullif((SELECT count(*) FROM rounds), 0), 'pct'
FROM kpi_p p
UNION ALL
SELECT p.which, 'uptime_pct', 'platform', 'component:' || k.component,
       100.0 * count(c.component) FILTER (WHERE c.status = 'up') / nullif(count(c.component), 0), 'pct'
FROM kpi_p p
CROSS JOIN (VALUES ('api'), ('database'), ('image_provider'), ('storage')) AS k(component)
LEFT JOIN c ON c.component = k.component
GROUP BY p.which, k.component;

WITH r AS (
    SELECT a.status_code, a.duration_ms
    FROM dw.fact_api_request a
    WHERE a.requested_at >= (SELECT start_ts FROM kpi_p) AND a.requested_at < (SELECT end_ts FROM kpi_p)
), s AS (
    SELECT count(*) AS n,
           count(*) FILTER (WHERE status_code >= 500) AS errors,
           avg(duration_ms) / 1000.0 AS avg_s,
           (percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) / 1000.0)::numeric AS p95_s
    FROM r
)
INSERT INTO kpi_raw (which, code, scope, breakdown, value, unit)
SELECT p.which, x.code, 'platform', '', x.value, x.unit
FROM kpi_p p, s
CROSS JOIN LATERAL (VALUES
    ('api_requests', s.n::numeric, 'count'),
    ('error_rate_pct', 100.0 * s.errors / nullif(s.n, 0), 'pct'),
    ('avg_response_s', s.avg_s, 'seconds'),
    ('p95_response_s', s.p95_s, 'seconds')
) AS x(code, value, unit);
