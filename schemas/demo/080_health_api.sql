-- Demo data, step 8: health checks and API requests, over the monitoring
-- retention (demo_p.h_months: all 36 months at scale >= 1, at least the
-- last 2).
--
-- Health checks: every 5 minutes, the four components share the same
-- checked_at. Everything is up except the planted items:
--   * outages ('outage'): api, 3 checks down, and image_provider, 7 checks
--     down, in the last month; older ones (storage, api) when the retention
--     reaches back far enough. An outage's `end` is the first check that is
--     up again, so minutes = checks_down x 5;
--   * one isolated down check of the database ('isolated_down_check', not
--     an outage), at the time of the logged database connection failure;
--   * rare slow image_provider checks (> 5 s), never in the last hour: the
--     latest check of every component is up and fast, so the system pulse at
--     the end of history is green ('system_pulse').
--
-- API requests: per 5-minute bucket, a count following the hour of day,
-- weekday and a trend. Background server errors (status >= 500) are capped
-- at 2 % in buckets of 20 requests or more, so only the planted buckets cross
-- the 5 % alert line ('error_spike'). No requests are served while the API
-- is down. Two unauthorized bursts are planted ('unauthorized_api'); in their
-- buckets the background has no errors at all.

CREATE TEMP TABLE demo_mon ON COMMIT DROP AS
SELECT p.t_end - make_interval(months => p.h_months) AS hs,
       (extract(epoch FROM p.t_end - (p.t_end - make_interval(months => p.h_months))) / 300)::integer AS n_ticks,
       lm.ms AS last_ms
FROM demo_p p
JOIN demo_month lm ON lm.m = 35;

-- Planted down checks (start on the 5-minute grid).
CREATE TEMP TABLE tmp_down ON COMMIT DROP AS
SELECT v.component, v.start_at, v.n, v.kind
FROM demo_p p
CROSS JOIN demo_mon mo
CROSS JOIN LATERAL (VALUES
    ('api', mo.last_ms + make_interval(days => 3 + almanac_demo.ui(p.seed, 600, 1, 8)::integer,
                                       hours => 14, mins => 5 + 5 * almanac_demo.ui(p.seed, 601, 1, 10)::integer),
     3, 'outage'),
    ('image_provider', mo.last_ms + make_interval(days => 13 + almanac_demo.ui(p.seed, 600, 2, 8)::integer,
                                                  hours => 2, mins => 30 + 5 * almanac_demo.ui(p.seed, 601, 2, 5)::integer),
     7, 'outage'),
    ('database', mo.last_ms + make_interval(days => 22 + almanac_demo.ui(p.seed, 600, 3, 4)::integer,
                                            hours => 9, mins => 40),
     1, 'isolated'),
    ('storage', mo.last_ms - interval '4 months'
                + make_interval(days => 5 + almanac_demo.ui(p.seed, 600, 4, 20)::integer, hours => 10),
     4, 'outage'),
    ('api', mo.last_ms - interval '11 months'
            + make_interval(days => 5 + almanac_demo.ui(p.seed, 600, 5, 20)::integer, hours => 20, mins => 15),
     2, 'outage')
) AS v(component, start_at, n, kind)
WHERE v.start_at >= mo.hs;

CREATE TEMP TABLE tmp_down_tick ON COMMIT DROP AS
SELECT d.component,
       (extract(epoch FROM d.start_at - mo.hs) / 300)::integer + i AS tick
FROM tmp_down d
CROSS JOIN demo_mon mo
CROSS JOIN generate_series(0, d.n - 1) AS i;

INSERT INTO health_checks (id, component, checked_at, status, response_ms, updated_at)
SELECT t * 4 + c.no + 1, c.component, x.at,
       CASE WHEN d.tick IS NULL THEN 'up' ELSE 'down' END,
       CASE WHEN d.tick IS NOT NULL THEN NULL
            ELSE CASE c.component
                     WHEN 'api' THEN 40 + floor(210 * x.v * x.v)::integer
                     WHEN 'database' THEN 2 + floor(28 * x.v)::integer
                     WHEN 'image_provider' THEN
                         CASE WHEN x.v2 < 0.001 AND t < mo.n_ticks - 12
                              THEN 5200 + floor(3800 * x.v)::integer
                              ELSE 600 + floor(1900 * x.v)::integer END
                     ELSE 20 + floor(100 * x.v)::integer
                 END
       END,
       x.at
FROM demo_mon mo
CROSS JOIN demo_p p
CROSS JOIN generate_series(0, mo.n_ticks - 1) AS t
CROSS JOIN (VALUES (0, 'api'), (1, 'database'), (2, 'image_provider'), (3, 'storage')) AS c(no, component)
CROSS JOIN LATERAL (
    SELECT mo.hs + make_interval(mins => 5 * t) AS at,
           almanac_demo.u(p.seed, 602, t * 4 + c.no) AS v,
           almanac_demo.u(p.seed, 603, t * 4 + c.no) AS v2
) x
LEFT JOIN tmp_down_tick d ON d.component = c.component AND d.tick = t
ORDER BY x.at, c.no;  -- time order, as a monitor writes them (BRIN on time)

INSERT INTO almanac_demo.truth (kind, subject, detail)
SELECT CASE d.kind WHEN 'outage' THEN 'outage' ELSE 'isolated_down_check' END, d.component,
       CASE d.kind
           WHEN 'outage' THEN
               jsonb_build_object('start', d.start_at, 'end', d.start_at + make_interval(mins => 5 * d.n),
                                  'checks_down', d.n, 'minutes', 5 * d.n)
           ELSE jsonb_build_object('checked_at', d.start_at)
       END
FROM tmp_down d;

INSERT INTO almanac_demo.truth (kind, subject, detail)
SELECT 'system_pulse', 'platform',
       jsonb_build_object('status', 'green', 'latest_check', max(checked_at))
FROM health_checks;

-- API --------------------------------------------------------------------------

-- Planted error buckets and unauthorized bursts.
CREATE TEMP TABLE tmp_spike ON COMMIT DROP AS
SELECT v.no, v.bucket_start, v.requests, v.errors
FROM demo_p p
CROSS JOIN demo_mon mo
CROSS JOIN LATERAL (VALUES
    (1, mo.last_ms + make_interval(days => 4 + almanac_demo.ui(p.seed, 610, 1, 5)::integer, hours => 11, mins => 35), 48, 9),
    (2, mo.last_ms + make_interval(days => 24 + almanac_demo.ui(p.seed, 610, 2, 3)::integer, hours => 18, mins => 15), 60, 7),
    (3, mo.last_ms - interval '1 month' + make_interval(days => 15, hours => 10), 36, 12)
) AS v(no, bucket_start, requests, errors)
WHERE v.bucket_start >= mo.hs;

CREATE TEMP TABLE tmp_unauth ON COMMIT DROP AS
SELECT v.no, v.by, v.api_key, v.ip, v.start_at, v.n, v.step_s, v.status, v.route
FROM demo_p p
CROSS JOIN demo_mon mo
CROSS JOIN (SELECT api_key FROM tmp_key WHERE key_no = 1) k
CROSS JOIN LATERAL (VALUES
    -- A leaked, revoked key tried from many addresses: 14 x 401 in 33
    -- minutes (each request from its own address, so only the key bursts).
    (1, 'api_key', k.api_key, NULL,
     mo.last_ms + make_interval(days => 7 + almanac_demo.ui(p.seed, 611, 1, 5)::integer, hours => 3, mins => 10),
     14, 150, 401, 'GET /v1/events'),
    -- Someone probing the purchase endpoint without a key: 25 x 403 in 17 minutes.
    (2, 'ip', NULL, '203.0.113.77',
     mo.last_ms + make_interval(days => 16 + almanac_demo.ui(p.seed, 611, 2, 5)::integer, hours => 22, mins => 40),
     25, 43, 403, 'POST /v1/credits/purchase')
) AS v(no, by, api_key, ip, start_at, n, step_s, status, route);

-- Buckets with special treatment: s = skip the background (spikes, API
-- down), q = quiet (no background errors).
CREATE TEMP TABLE tmp_special_bucket ON COMMIT DROP AS
SELECT DISTINCT b, what FROM (
    SELECT (extract(epoch FROM s.bucket_start - mo.hs) / 300)::integer AS b, 's' AS what
    FROM tmp_spike s CROSS JOIN demo_mon mo
    UNION ALL
    SELECT d.tick, 's' FROM tmp_down_tick d WHERE d.component = 'api'
    UNION ALL
    SELECT (extract(epoch FROM u.start_at - mo.hs) / 300)::integer + i, 'q'
    FROM tmp_unauth u CROSS JOIN demo_mon mo
    CROSS JOIN generate_series(0, ceil(u.n * u.step_s / 300.0)::integer) AS i
) x;

-- Routes weighted by repetition (40 entries of 2.5 % each).
CREATE TEMP TABLE demo_route ON COMMIT DROP AS
SELECT ARRAY[
    'GET /v1/events', 'GET /v1/events', 'GET /v1/events', 'GET /v1/events', 'GET /v1/events', 'GET /v1/events',
    'GET /v1/events/{id}', 'GET /v1/events/{id}', 'GET /v1/events/{id}', 'GET /v1/events/{id}',
    'POST /v1/events', 'PATCH /v1/events/{id}', 'PUT /v1/events/{id}/settings',
    'GET /v1/styles', 'GET /v1/styles', 'GET /v1/styles', 'GET /v1/styles', 'GET /v1/styles',
    'POST /v1/generations', 'POST /v1/generations', 'POST /v1/generations', 'POST /v1/generations',
    'POST /v1/generations', 'POST /v1/generations', 'POST /v1/generations', 'POST /v1/generations',
    'GET /v1/generations/{id}', 'GET /v1/generations/{id}', 'GET /v1/generations/{id}', 'GET /v1/generations/{id}',
    'GET /v1/generations/{id}', 'GET /v1/generations/{id}', 'GET /v1/generations/{id}',
    'DELETE /v1/generations/{id}', 'GET /v1/credits/balance', 'GET /v1/credits/balance', 'GET /v1/credits/balance',
    'POST /v1/credits/purchase', 'GET /v1/health', 'GET /v1/health'] AS routes;

-- Background requests. Per bucket: n = expected count with stochastic
-- rounding; errors e as described at the top. Ids follow the buckets.
CREATE TEMP TABLE tmp_api_bucket ON COMMIT DROP AS
WITH special AS (
    SELECT b, bool_or(what = 's') AS skip, bool_or(what = 'q') AS quiet
    FROM tmp_special_bucket
    GROUP BY b
), b AS (
    SELECT g.b, mo.hs + make_interval(mins => 5 * g.b) AS bucket_start,
           floor(1000000 * p.scale / mo.n_ticks
                 -- hour of day (mean 1), weekday, trend, jitter
                 * 1.0345 * (ARRAY[0.25,0.25,0.25,0.25,0.25,0.25,0.6,0.6,1.6,1.6,1.6,1.6,
                                   1.3,1.3,1.6,1.6,1.6,1.6,1.1,1.1,1.1,0.6,0.6,0.6])[1 + (g.b / 12) % 24]
                 * CASE WHEN extract(isodow FROM mo.hs + make_interval(mins => 5 * g.b)) >= 6 THEN 0.7 ELSE 1.12 END
                 * (0.85 + 0.3 * g.b / mo.n_ticks)
                 * (0.85 + 0.3 * almanac_demo.u(p.seed, 612, g.b))
                 + almanac_demo.u(p.seed, 613, g.b))::integer AS n,
           almanac_demo.u(p.seed, 614, g.b) AS ue,
           coalesce(sp.quiet, false) AS quiet
    FROM demo_mon mo
    CROSS JOIN demo_p p
    CROSS JOIN generate_series(0, mo.n_ticks - 1) AS g(b)
    LEFT JOIN special sp ON sp.b = g.b
    WHERE sp.skip IS NOT TRUE
    OFFSET 0
)
SELECT b.b, b.bucket_start, b.n,
       CASE WHEN b.quiet THEN 0
            WHEN b.n < 20 THEN (b.ue < 0.008 * b.n)::integer
            ELSE least(floor(0.02 * b.n), floor(0.006 * b.n + b.ue))::integer
       END AS e,
       sum(b.n) OVER (ORDER BY b.b) - b.n AS off
FROM b
WHERE b.n > 0;

ANALYZE tmp_api_bucket;

INSERT INTO api_requests (id, requested_at, method, endpoint, status_code, duration_ms, api_key,
                          client_ip, updated_at)
SELECT r.id, r.at, split_part(r.route, ' ', 1), split_part(r.route, ' ', 2), r.status, r.duration_ms,
       r.api_key, r.ip, r.at
FROM (
    SELECT x.*,
           CASE WHEN x.j <= x.e THEN (ARRAY[500, 500, 500, 502, 503])[1 + floor(5 * x.v1)::integer]
                WHEN x.v2 < 0.0015 THEN CASE WHEN x.api_key IS NULL OR x.v1 < 0.5 THEN 401 ELSE 403 END
                WHEN x.v2 < 0.03 THEN (ARRAY[400, 404, 404, 409, 422, 429])[1 + floor(6 * x.v1)::integer]
                WHEN x.route LIKE 'POST%' THEN 201
                WHEN x.route LIKE 'DELETE%' THEN 204
                ELSE 200 END AS status,
           CASE WHEN x.j <= x.e THEN CASE WHEN x.v1 < 0.3 THEN 30000 ELSE 50 + floor(2000 * x.v3)::integer END
                WHEN x.route = 'POST /v1/generations' THEN 1500 + floor(4500 * x.v3 * x.v3)::integer
                ELSE 20 + floor(700 * x.v3 * x.v3 * x.v3)::integer
                     + CASE WHEN x.v3 > 0.995 THEN 3000 ELSE 0 END
           END AS duration_ms
    FROM (
        SELECT ab.off + j AS id, j, ab.e,
               ab.bucket_start + almanac_demo.secs(floor(300000 * almanac_demo.u(p.seed, 615, ab.off + j)) / 1000.0) AS at,
               almanac_demo.pick(rt.routes, almanac_demo.u(p.seed, 616, ab.off + j)) AS route,
               almanac_demo.u(p.seed, 617, ab.off + j) AS v1,
               almanac_demo.u(p.seed, 618, ab.off + j) AS v2,
               almanac_demo.u(p.seed, 619, ab.off + j) AS v3,
               CASE WHEN k.created_at <= ab.bucket_start THEN k.api_key END AS api_key,
               CASE WHEN k.created_at <= ab.bucket_start THEN k.ip
                    WHEN almanac_demo.u(p.seed, 620, ab.off + j) < 0.05
                    THEN '2001:db8:ff::' || to_hex(almanac_demo.ui(p.seed, 621, ab.off + j, 65536))
                    ELSE almanac_demo.ipv4((150::bigint << 24) + almanac_demo.ui(p.seed, 621, ab.off + j, 4194304))
               END AS ip
        FROM tmp_api_bucket ab
        CROSS JOIN demo_p p
        CROSS JOIN demo_route rt
        CROSS JOIN generate_series(1, ab.n) AS j
        LEFT JOIN tmp_key k
               ON almanac_demo.u(p.seed, 622, ab.off + j) >= 0.12
              AND k.key_no = 1 + floor(power(almanac_demo.u(p.seed, 623, ab.off + j), 1.3)
                                       * (40 + p.n_partners / 2))::integer
        OFFSET 0   -- compute once per row what is used several times below
    ) x
) r;

-- The planted requests take the ids after the background ones.
INSERT INTO api_requests (id, requested_at, method, endpoint, status_code, duration_ms, api_key,
                          client_ip, updated_at)
SELECT (SELECT coalesce(max(id), 0) FROM api_requests) + row_number() OVER (ORDER BY r.at, r.src, r.k),
       r.at, split_part(r.route, ' ', 1), split_part(r.route, ' ', 2), r.status, r.duration_ms,
       r.api_key, r.ip, r.at
FROM (
    SELECT s.bucket_start + almanac_demo.secs(floor(300000 * almanac_demo.u(p.seed, 630, s.no * 1000 + i)) / 1000.0) AS at,
           1 AS src, s.no * 1000 + i AS k,
           almanac_demo.pick(rt.routes, almanac_demo.u(p.seed, 631, s.no * 1000 + i)) AS route,
           CASE WHEN i <= s.errors THEN (ARRAY[500, 502, 503])[1 + i % 3] ELSE 200 END AS status,
           CASE WHEN i <= s.errors THEN 30000 ELSE 40 + almanac_demo.ui(p.seed, 632, s.no * 1000 + i, 600)::integer END AS duration_ms,
           k.api_key, k.ip
    FROM tmp_spike s
    CROSS JOIN demo_p p
    CROSS JOIN demo_route rt
    CROSS JOIN generate_series(1, s.requests) AS i
    JOIN tmp_key k ON k.key_no = 2 + (i % 5)
    UNION ALL
    SELECT u.start_at + make_interval(secs => u.step_s * i), 2, u.no * 1000 + i,
           u.route, u.status, 15 + almanac_demo.ui(p.seed, 633, u.no * 1000 + i, 30)::integer,
           u.api_key, coalesce(u.ip, '198.18.' || (7 * i % 256) || '.' || (1 + 13 * i % 254))
    FROM tmp_unauth u
    CROSS JOIN demo_p p
    CROSS JOIN generate_series(0, u.n - 1) AS i
) r;

INSERT INTO almanac_demo.truth (kind, subject, detail)
SELECT 'error_spike', s.bucket_start::text,
       jsonb_build_object('bucket_start', s.bucket_start, 'requests', count(*),
                          'errors', count(*) FILTER (WHERE a.status_code >= 500),
                          'error_rate_pct', round(100.0 * count(*) FILTER (WHERE a.status_code >= 500) / count(*), 2))
FROM tmp_spike s
JOIN api_requests a ON a.requested_at >= s.bucket_start AND a.requested_at < s.bucket_start + interval '5 minutes'
GROUP BY s.bucket_start;

INSERT INTO almanac_demo.truth (kind, subject, detail)
SELECT 'unauthorized_api', CASE u.by WHEN 'ip' THEN 'ip:' || u.ip ELSE 'key:' || u.api_key END,
       jsonb_build_object('by', u.by, 'api_key', u.api_key, 'ip', u.ip, 'status', u.status,
                          'start', u.start_at, 'end', u.start_at + make_interval(secs => u.step_s * (u.n - 1)),
                          'count', u.n)
FROM tmp_unauth u;
