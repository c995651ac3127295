-- pulse_red (critical): the latest health check of a component before the
-- window end failed, so the system pulse (KPIS.md system_pulse) is red.
-- A state: it holds or not at the window end, and the run that finds it no
-- longer holding resolves it. Keyed by the component and the first down
-- check of its current run of failures, so one failure that lasts several
-- days stays one alert.
--
-- $1 window start, $2 window end. Only components checked in the day
-- before the window end count (a component no longer probed is not red).
WITH RECURSIVE
latest AS (
    SELECT DISTINCT ON (h.component) h.component, h.checked_at, h.status
    FROM dw.fact_health_check h
    WHERE h.checked_at >= $2::timestamptz - interval '1 day' AND h.checked_at < $2::timestamptz
      AND $1::timestamptz IS NOT NULL
    ORDER BY h.component, h.checked_at DESC
),
down AS (
    SELECT l.component, l.checked_at FROM latest l WHERE l.status = 'down'
),
back (component, lo, up_at, step) AS (
    SELECT d.component, $2::timestamptz - interval '1 day',
           (SELECT max(h.checked_at) FROM dw.fact_health_check h
            WHERE h.component = d.component AND h.status = 'up'
              AND h.checked_at >= $2::timestamptz - interval '1 day' AND h.checked_at < $2::timestamptz),
           1
    FROM down d
    UNION ALL
    SELECT b.component, b.lo - interval '1 day' * (2 ^ b.step),
           (SELECT max(h.checked_at) FROM dw.fact_health_check h
            WHERE h.component = b.component AND h.status = 'up'
              AND h.checked_at >= b.lo - interval '1 day' * (2 ^ b.step) AND h.checked_at < b.lo),
           b.step + 1
    FROM back b
    WHERE b.up_at IS NULL AND b.step < 16
),
since AS (
    SELECT b.component, max(b.up_at) AS last_up_at, coalesce(max(b.up_at), min(b.lo)) AS since
    FROM back b
    GROUP BY b.component
),
streak AS (
    SELECT d.component, d.checked_at AS latest_check, s.last_up_at, x.first_down, x.checks_down
    FROM down d
    JOIN since s ON s.component = d.component
    CROSS JOIN LATERAL (
        SELECT min(h.checked_at) AS first_down, count(*) AS checks_down
        FROM dw.fact_health_check h
        WHERE h.component = d.component AND h.status = 'down'
          AND h.checked_at > s.since AND h.checked_at < $2::timestamptz
    ) x
)
SELECT 'pulse_red' AS code, 'critical' AS severity, 'component' AS subject_kind, s.component AS subject,
       s.component || '@' || to_char(s.first_down AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS dedup_key,
       s.first_down AS started_at, NULL::timestamptz AS ended_at,
       jsonb_build_object(
           'component', s.component,
           'latest_check', s.latest_check,
           'latest_status', 'down',
           'down_since', s.first_down,
           'last_up_check', s.last_up_at,
           'checks_down', s.checks_down) AS evidence
FROM streak s
ORDER BY s.component;
