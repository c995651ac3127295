-- Demo data, step 5: B2C users, their app sessions with funnel steps, and
-- subscriptions.
--
-- Planted behaviour:
--   * signups grow over time (the signup-time distribution is x^1.6);
--   * three kinds of users: one-off (30 %, a session or two in their first
--     week), casual (48 %, most weeks for 1-6 months) and loyal (22 %, every
--     few weeks until the end, with one session in the last 28 days), which
--     puts about 30 % of users active in the last 30 days at the end;
--   * sessions peak in the evening and at weekends;
--   * funnel drop-off: upload 94 %, style 80 %, generate 65 %, download 45 %
--     of sessions (each step reached by fewer sessions than the one before);
--   * about 12 % of returning users subscribe (basic or pro), some cancel.

CREATE TEMP TABLE tmp_user ON COMMIT DROP AS
WITH b AS (
    SELECT p.seed, i AS id,
           -- Growing signups: the i-th user signs up at quantile ((i-0.5)/n)^(1/1.6).
           date_trunc('second', p.t0 + (p.t_end - p.t0 - interval '2 hours')
                                      * power((i - 0.5) / p.n_users, 1 / 1.6)) AS created_at,
           -- Kinds by a low-discrepancy sequence (golden ratio, with a
           -- seeded offset), so the shares hold exactly even for 200 users.
           CASE WHEN x.k < 0.30 THEN 'one_off'
                WHEN x.k < 0.78 THEN 'casual'
                ELSE 'loyal' END AS class,
           p.t_end
    FROM demo_p p
    CROSS JOIN generate_series(1, p.n_users) AS i
    CROSS JOIN LATERAL (SELECT v - floor(v) AS k
                        FROM (SELECT i * 0.6180339887498949::float8 + almanac_demo.u(p.seed, 300, 0) AS v) vv) x
), s AS (
    SELECT b.*,
           least(b.t_end - interval '2 hours',
                 CASE b.class
                     WHEN 'one_off' THEN b.created_at + interval '7 days'
                     WHEN 'casual' THEN b.created_at + make_interval(days => 30 + almanac_demo.ui(b.seed, 301, b.id, 150)::integer)
                     ELSE b.t_end END) AS span_end
    FROM b
), fav AS MATERIALIZED (
    -- (Materialized so that each helper gets plain columns and is inlined.)
    SELECT x.id, x.y1, x.y2, x.y3, x.y4,
           almanac_demo.cat_pick('b2c', x.x1) AS c1, almanac_demo.cat_pick('b2c', x.x2) AS c2,
           almanac_demo.cat_pick('b2c', x.x3) AS c3, almanac_demo.cat_pick('b2c', x.x4) AS c4
    FROM (SELECT b.id,
                 almanac_demo.u(b.seed, 310, b.id) AS x1, almanac_demo.u(b.seed, 311, b.id) AS y1,
                 almanac_demo.u(b.seed, 312, b.id) AS x2, almanac_demo.u(b.seed, 313, b.id) AS y2,
                 almanac_demo.u(b.seed, 314, b.id) AS x3, almanac_demo.u(b.seed, 315, b.id) AS y3,
                 almanac_demo.u(b.seed, 316, b.id) AS x4, almanac_demo.u(b.seed, 317, b.id) AS y4
          FROM b OFFSET 0) x
)
SELECT s.id, s.seed, s.created_at, s.class, s.span_end,
       CASE s.class
           WHEN 'one_off' THEN 1 + (almanac_demo.u(s.seed, 302, s.id) < 0.3)::integer
           -- casual: most weeks; loyal: about every five weeks, plus the
           -- forced recent session.
           WHEN 'casual' THEN greatest(2, round(extract(epoch FROM s.span_end - s.created_at) / 604800 * 0.7
                                                * (0.6 + 0.8 * almanac_demo.u(s.seed, 302, s.id))))::integer
           ELSE greatest(3, round(extract(epoch FROM s.span_end - s.created_at) / 604800 * 0.2
                                  * (0.6 + 0.8 * almanac_demo.u(s.seed, 302, s.id))))::integer + 1
       END AS k_sessions,
       almanac_demo.pick(ARRAY['ES','ES','ES','ES','ES','ES','ES','ES','ES','ES','MX','MX','MX','MX','MX','MX',
                               'AR','AR','AR','CO','CO','CO','US','US','US','US','DE','DE','PL','PL',
                               'GR','GR','FR','FR','JP','RU','BR','BR','IT','IT'],
                         almanac_demo.u(s.seed, 303, s.id)) AS country,
       almanac_demo.pick(ARRAY['ios','ios','ios','ios','ios','ios','ios','ios','ios',
                               'android','android','android','android','android','android','android',
                               'web','web','web','web'], almanac_demo.u(s.seed, 304, s.id)) AS device,
       almanac_demo.pick(almanac_demo.words('first'), almanac_demo.u(s.seed, 305, s.id)) || ' '
           || almanac_demo.pick(almanac_demo.words('last'), almanac_demo.u(s.seed, 306, s.id)) AS display_name,
       'user' || lpad(s.id::text, 6, '0') || '@correo.example' AS email,
       -- Credit pack the user buys: one-off users the smallest, loyal users
       -- the larger ones.
       CASE s.class
           WHEN 'one_off' THEN 10
           WHEN 'casual' THEN CASE WHEN almanac_demo.u(s.seed, 307, s.id) < 0.6 THEN 30 ELSE 10 END
           ELSE CASE WHEN almanac_demo.u(s.seed, 307, s.id) < 0.2 THEN 300
                     WHEN almanac_demo.u(s.seed, 307, s.id) < 0.6 THEN 100 ELSE 30 END
       END AS pack,
       -- Four favourite styles, drawn from B2C preferences.
       almanac_demo.style_pick(f.c1, f.y1, p.n_styles) AS p1,
       almanac_demo.style_pick(f.c2, f.y2, p.n_styles) AS p2,
       almanac_demo.style_pick(f.c3, f.y3, p.n_styles) AS p3,
       almanac_demo.style_pick(f.c4, f.y4, p.n_styles) AS p4,
       -- Each user has an address of their own (IPv6 for some).
       CASE WHEN almanac_demo.u(s.seed, 308, s.id) < 0.15
            THEN '2001:db8:' || to_hex(s.id >> 16) || ':' || to_hex(s.id & 65535) || '::1'
            ELSE almanac_demo.ipv4((90::bigint << 24) + s.id * 7) END AS ip
FROM s
CROSS JOIN demo_p p
JOIN fav f ON f.id = s.id;

ANALYZE tmp_user;

INSERT INTO b2c_users (id, email, display_name, country, created_at, updated_at)
SELECT id, email, display_name, country, created_at, created_at
FROM tmp_user;

-- Sessions: the first right after signup, the others spread over the
-- user's active span with an evening and weekend bias.
CREATE TEMP TABLE tmp_session ON COMMIT DROP AS
WITH s0 AS (
    SELECT u.id AS user_id, k, u.id * 10000 + k AS skey, u.seed, u.created_at, u.span_end, u.class,
           u.k_sessions, u.device AS user_device,
           (u.class = 'loyal' AND k = u.k_sessions) AS forced_recent
    FROM tmp_user u
    CROSS JOIN generate_series(1, u.k_sessions) AS k
), s1 AS (
    SELECT s0.*,
           CASE
               WHEN s0.k = 1 THEN
                   s0.created_at + make_interval(secs => 120 + almanac_demo.ui(s0.seed, 320, s0.skey, 1080))
               ELSE
                   (CASE
                        -- Loyal users come back within the last 28 days.
                        WHEN s0.forced_recent THEN p.d_end - 1 - almanac_demo.ui(s0.seed, 321, s0.skey, 27)::integer
                        WHEN almanac_demo.u(s0.seed, 322, s0.skey) < 0.3 THEN
                            almanac_demo.shift_dow(dd.d, 6 + almanac_demo.ui(s0.seed, 323, s0.skey, 2)::integer,
                                                   s0.created_at::date, s0.span_end::date + 1)
                        ELSE dd.d
                    END + make_time(almanac_demo.evening_hour(almanac_demo.u(s0.seed, 324, s0.skey)),
                                    almanac_demo.ui(s0.seed, 325, s0.skey, 60)::integer,
                                    almanac_demo.ui(s0.seed, 326, s0.skey, 60)::integer))::timestamptz
           END AS start0,
           p.t_end
    FROM s0
    CROSS JOIN demo_p p
    CROSS JOIN LATERAL (
        SELECT s0.created_at::date
               + almanac_demo.ui(s0.seed, 327, s0.skey, s0.span_end::date - s0.created_at::date + 1)::integer AS d
    ) dd
), s2 AS (
    SELECT s1.*,
           CASE WHEN s1.k = 1 THEN s1.start0
                ELSE least(greatest(s1.start0, s1.created_at + interval '1 hour'), s1.t_end - interval '1 hour')
           END AS started_at,
           -- Furthest funnel step reached: 0 none, 1 upload, 2 style, 3 generate, 4 download.
           CASE WHEN s1.forced_recent THEN 4
                WHEN almanac_demo.u(s1.seed, 328, s1.skey) < 0.06 THEN 0
                WHEN almanac_demo.u(s1.seed, 328, s1.skey) < 0.20 THEN 1
                WHEN almanac_demo.u(s1.seed, 328, s1.skey) < 0.35 THEN 2
                WHEN almanac_demo.u(s1.seed, 328, s1.skey) < 0.55 THEN 3
                ELSE 4 END AS reach
    FROM s1
), s3 AS (
    SELECT s2.*,
           CASE WHEN s2.reach >= 3 THEN 1 + almanac_demo.ui(s2.seed, 329, s2.skey, 5)::integer ELSE 0 END AS n_gen,
           15 + almanac_demo.ui(s2.seed, 330, s2.skey, 30)::integer AS gen_gap_s,
           s2.started_at + make_interval(secs => 10 + almanac_demo.ui(s2.seed, 331, s2.skey, 50)) AS t_upload
    FROM s2
), s4 AS (
    SELECT s3.*,
           s3.t_upload + make_interval(secs => 20 + almanac_demo.ui(s3.seed, 332, s3.skey, 100)) AS t_style
    FROM s3
), s5 AS (
    SELECT s4.*,
           s4.t_style + make_interval(secs => 10 + almanac_demo.ui(s4.seed, 333, s4.skey, 80)) AS t_gen
    FROM s4
), s6 AS (
    SELECT s5.*,
           s5.t_gen + make_interval(secs => s5.n_gen * s5.gen_gap_s + 10 + almanac_demo.ui(s5.seed, 334, s5.skey, 50)) AS t_download
    FROM s5
)
SELECT row_number() OVER (ORDER BY s6.started_at, s6.user_id, s6.k) AS id,
       s6.user_id, s6.k, s6.skey, s6.started_at, s6.reach, s6.n_gen, s6.gen_gap_s,
       s6.t_upload, s6.t_style, s6.t_gen, s6.t_download,
       CASE WHEN almanac_demo.u(s6.seed, 335, s6.skey) < 0.03 THEN NULL
            WHEN s6.reach = 0 THEN s6.started_at + make_interval(secs => 10 + almanac_demo.ui(s6.seed, 336, s6.skey, 110))
            ELSE CASE s6.reach WHEN 1 THEN s6.t_upload WHEN 2 THEN s6.t_style
                               WHEN 3 THEN s6.t_gen + make_interval(secs => s6.n_gen * s6.gen_gap_s)
                               ELSE s6.t_download END
                 + make_interval(secs => 30 + almanac_demo.ui(s6.seed, 337, s6.skey, 270))
       END AS ended_at,
       CASE WHEN almanac_demo.u(s6.seed, 338, s6.skey) < 0.1
            THEN almanac_demo.pick(ARRAY['ios', 'android', 'web'], almanac_demo.u(s6.seed, 339, s6.skey))
            ELSE s6.user_device END AS device
FROM s6;

ANALYZE tmp_session;

INSERT INTO sessions (id, b2c_user_id, started_at, ended_at, device, updated_at)
SELECT id, user_id, started_at, ended_at, device, coalesce(ended_at, started_at)
FROM tmp_session;

INSERT INTO session_steps (id, session_id, step, occurred_at, updated_at)
SELECT o.off + st.no, s.id, st.step, st.at, st.at
FROM tmp_session s
JOIN (SELECT id, sum(reach) OVER (ORDER BY id) - reach AS off FROM tmp_session) o ON o.id = s.id
CROSS JOIN LATERAL (VALUES (1, 'upload', s.t_upload), (2, 'style', s.t_style),
                           (3, 'generate', s.t_gen), (4, 'download', s.t_download)) AS st(no, step, at)
WHERE st.no <= s.reach;

-- Subscriptions: plan basic (9.99 USD, 30 credits a month) or pro (24.99
-- USD, 120 credits). Casual users cancel when they drift away; some loyal
-- users cancel after a while.
CREATE TEMP TABLE tmp_subscription ON COMMIT DROP AS
WITH s AS (
    SELECT u.id AS user_id, u.seed, u.class, u.created_at, u.span_end, p.t_end,
           date_trunc('second', u.created_at + (u.span_end - u.created_at) * 0.3 * almanac_demo.u(u.seed, 340, u.id)) AS started_at,
           CASE WHEN almanac_demo.u(u.seed, 341, u.id) < 0.35 THEN 'pro' ELSE 'basic' END AS plan
    FROM tmp_user u CROSS JOIN demo_p p
    WHERE u.class <> 'one_off' AND almanac_demo.u(u.seed, 342, u.id) < 0.12
)
SELECT row_number() OVER (ORDER BY s.started_at, s.user_id) AS id,
       s.user_id, s.plan, s.started_at,
       CASE s.plan WHEN 'pro' THEN 24.99 ELSE 9.99 END::numeric(14,2) AS fee,
       CASE s.plan WHEN 'pro' THEN 120 ELSE 30 END AS credits,
       CASE WHEN e.ended_at < s.t_end THEN e.ended_at END AS ended_at
FROM s
CROSS JOIN LATERAL (
    SELECT CASE WHEN s.class = 'casual'
                THEN s.span_end + make_interval(days => almanac_demo.ui(s.seed, 343, s.user_id, 20)::integer)
                WHEN almanac_demo.u(s.seed, 344, s.user_id) < 0.3
                THEN s.started_at + make_interval(months => 2 + almanac_demo.ui(s.seed, 345, s.user_id, 12)::integer,
                                                  hours => 3)
           END AS ended_at
) e;

INSERT INTO subscriptions (id, b2c_user_id, plan, monthly_fee_usd, started_at, ended_at, updated_at)
SELECT id, user_id, plan, fee, started_at, ended_at, coalesce(ended_at, started_at)
FROM tmp_subscription;
