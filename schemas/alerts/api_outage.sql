-- api_outage (critical): a component down for >= $3 consecutive health
-- checks. One alert per outage interval, keyed by the component and the
-- time of its first down check.
--
-- $1 window start, $2 window end (timestamptz), $3 consecutive_checks.
--
-- Data at or after the window end is not read: an outage still down at the
-- end of the window has ended_at NULL, and the next window's run finds the
-- same first down check and closes it. That first check may lie before the
-- window (an outage over several days): for every component the latest up
-- check before the window start is looked for in spans that double (1, 2,
-- 4 ... days), so a normal day reads one day back and a long outage reads
-- back to its beginning, never the whole history.
WITH RECURSIVE
comp AS (
    SELECT DISTINCT h.component
    FROM dw.fact_health_check h
    WHERE h.checked_at >= $1::timestamptz - interval '1 day' AND h.checked_at < $2::timestamptz
),
back (component, lo, up_at, step) AS (
    SELECT c.component, $1::timestamptz - interval '1 day',
           (SELECT max(h.checked_at) FROM dw.fact_health_check h
            WHERE h.component = c.component AND h.status = 'up'
              AND h.checked_at >= $1::timestamptz - interval '1 day' AND h.checked_at < $1::timestamptz),
           1
    FROM comp c
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
    -- From the latest up check before the window (or as far as the walk went).
    SELECT b.component, coalesce(max(b.up_at), min(b.lo)) AS since
    FROM back b
    GROUP BY b.component
),
checks AS (
    SELECT h.component, h.checked_at, h.status,
           -- checks are grouped by the number of up checks seen so far: a
           -- run of down checks shares the group of the up check before it
           count(*) FILTER (WHERE h.status = 'up')
               OVER (PARTITION BY h.component ORDER BY h.checked_at) AS grp,
           -- the first up check at or after this one: the end of an outage
           min(h.checked_at) FILTER (WHERE h.status = 'up')
               OVER (PARTITION BY h.component ORDER BY h.checked_at
                     ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS next_up
    FROM dw.fact_health_check h
    JOIN since s ON s.component = h.component AND h.checked_at >= s.since
    WHERE h.checked_at >= (SELECT min(since) FROM since) AND h.checked_at < $2::timestamptz
),
outage AS (
    SELECT c.component,
           min(c.checked_at) FILTER (WHERE c.status = 'down') AS started_at,
           max(c.checked_at) FILTER (WHERE c.status = 'down') AS last_down_at,
           max(c.next_up) FILTER (WHERE c.status = 'down') AS ended_at,
           count(*) FILTER (WHERE c.status = 'down') AS checks_down
    FROM checks c
    GROUP BY c.component, c.grp
    HAVING count(*) FILTER (WHERE c.status = 'down') >= $3::numeric
)
SELECT 'api_outage' AS code, 'critical' AS severity, 'component' AS subject_kind, o.component AS subject,
       o.component || '@' || to_char(o.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS dedup_key,
       o.started_at, o.ended_at,
       jsonb_build_object(
           'component', o.component,
           'first_down_check', o.started_at,
           'last_down_check', o.last_down_at,
           'back_up_at', o.ended_at,
           'checks_down', o.checks_down,
           'minutes', round(extract(epoch FROM coalesce(o.ended_at, $2::timestamptz) - o.started_at) / 60, 1),
           'ongoing', o.ended_at IS NULL) AS evidence
FROM outage o
ORDER BY o.started_at, o.component;
