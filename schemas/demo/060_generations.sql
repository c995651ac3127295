-- Demo data, step 6: generations, at partner events and by B2C users.
--
-- Planted:
--   * about 3 % of generations fail; failed ones charge 0 credits;
--   * about 1 % of completed images are deleted later (0.7..1.3 % per
--     style), but style 2 ("poor quality") loses 9 % of its images
--     ('poor_quality_style');
--   * a bulk deletion: one power partner deletes its images of the poor
--     style, about 170, within an hour ('bulk_deletion'; the activity_log
--     rows follow from deleted_at in 090_activity.sql).
--
-- Ids follow the day: a block per event (on its date) and per B2C session
-- (on the day of its generate step), ordered by day, then events before
-- sessions, then id; each block's generations take consecutive ids. That
-- keeps ids in day order without sorting two million rows.

CREATE TEMP TABLE tmp_gen_block ON COMMIT DROP AS
SELECT b.src, b.ref, b.n, sum(b.n) OVER (ORDER BY b.day, b.src, b.ref) - b.n AS off
FROM (
    SELECT 0 AS src, e.id AS ref, e.event_date AS day, e.n_gen AS n FROM tmp_event e
    UNION ALL
    SELECT 1, s.id, s.t_gen::date, s.n_gen FROM tmp_session s WHERE s.n_gen > 0
) b;

ANALYZE tmp_gen_block;

-- The bulk deletion: a power partner (the one with the most) purges the
-- images made with the poor-quality style (style 2) at its latest events
-- before day 14 of the last month, in one sitting of 48 minutes from 16:20
-- plus a little. Purging only that style leaves the other styles' deletion
-- rates alone. Events are taken, newest first, until about 170 such images
-- are expected (each slot of the event's style pack has a known chance).
CREATE TEMP TABLE tmp_bulk ON COMMIT DROP AS
WITH cand AS (
    SELECT e.id AS event_id, e.partner_id, e.event_date, t.email,
           mo.ms + interval '14 days 16 hours 20 minutes'
               + make_interval(mins => almanac_demo.ui(p.seed, 400, 1, 30)::integer) AS bulk_start,
           0.97 * e.n_gen * (0.5 * (e.s1 = 2)::integer + 0.2071 * (e.s2 = 2)::integer
                             + 0.1589 * (e.s3 = 2)::integer + 0.1340 * (e.s4 = 2)::integer) AS expected
    FROM tmp_event e
    JOIN tmp_partner t ON t.id = e.partner_id AND t.role = 'power'
    CROSS JOIN demo_p p
    JOIN demo_month mo ON mo.m = 35
), who AS (
    -- The power partner with the most such images.
    SELECT c.partner_id
    FROM cand c
    WHERE c.event_date < c.bulk_start::date
    GROUP BY c.partner_id
    ORDER BY sum(c.expected ORDER BY c.event_id) DESC, c.partner_id
    LIMIT 1
), ev AS (
    SELECT c.*, sum(c.expected) OVER (ORDER BY c.event_date DESC, c.event_id DESC) AS cum
    FROM cand c
    JOIN who w ON w.partner_id = c.partner_id
    WHERE c.event_date < c.bulk_start::date AND c.expected > 0
)
SELECT ev.event_id, ev.partner_id, ev.email, ev.bulk_start
FROM ev
WHERE ev.cum - ev.expected < 170;

-- Generations at events: during the event's hours (never before the event
-- was created), with a style from the event's style pack (slot 1 is used
-- half of the time).
INSERT INTO generations (id, event_id, b2c_user_id, style_id, status, credits, latency_ms,
                         created_at, deleted_at, updated_at)
SELECT g.id, g.event_id, NULL, g.style_id, g.status, g.credits, g.latency_ms,
       g.created_at, g.deleted_at, coalesce(g.deleted_at, g.created_at)
FROM (
    SELECT x.*,
           CASE WHEN x.status <> 'completed' THEN NULL
                WHEN x.bulk_start IS NOT NULL AND x.style_id = 2
                THEN x.bulk_start + make_interval(secs => floor(2880 * almanac_demo.u(x.seed, 408, x.id)))
                WHEN almanac_demo.u(x.seed, 405, x.id)
                     < CASE WHEN x.style_id = 2 THEN 0.09 ELSE 0.007 + 0.006 * almanac_demo.u(x.seed, 406, x.style_id) END
                THEN least(x.created_at + make_interval(secs => 60 + almanac_demo.ui(x.seed, 407, x.id, 1728000)),
                           x.t_end - interval '1 second')
           END AS deleted_at
    FROM (
        SELECT b.off + j AS id, e.id AS event_id, j, p.seed, p.t_end, bk.bulk_start,
               CASE floor(power(almanac_demo.u(p.seed, 401, b.off + j), 2) * 4)::integer
                   WHEN 0 THEN e.s1 WHEN 1 THEN e.s2 WHEN 2 THEN e.s3 ELSE e.s4 END AS style_id,
               CASE WHEN almanac_demo.u(p.seed, 402, b.off + j) < 0.03 THEN 'failed' ELSE 'completed' END AS status,
               greatest(e.g_start + make_interval(secs => floor(e.g_span_s * almanac_demo.u(p.seed, 403, b.off + j))),
                        e.created_at + interval '5 minutes') AS created_at,
               almanac_demo.u(p.seed, 404, b.off + j) AS ul
        FROM tmp_event e
        JOIN tmp_gen_block b ON b.src = 0 AND b.ref = e.id
        LEFT JOIN tmp_bulk bk ON bk.event_id = e.id
        CROSS JOIN demo_p p
        CROSS JOIN generate_series(1, e.n_gen) AS j
        OFFSET 0   -- evaluate the hashes once per row, not once per use
    ) x0
    CROSS JOIN LATERAL (
        SELECT x0.*,
               CASE WHEN x0.status = 'failed' THEN 0 WHEN (x0.style_id - 1) % 6 = 4 THEN 2 ELSE 1 END AS credits,
               CASE WHEN x0.status = 'failed'
                    THEN CASE WHEN x0.ul < 0.5 THEN 30000 ELSE 300 + floor(900 * x0.ul)::integer END
                    ELSE 1200 + floor(5000 * x0.ul * x0.ul)::integer
                         + CASE WHEN (x0.style_id - 1) % 6 = 4 THEN 1500 ELSE 0 END
               END AS latency_ms
    ) x
) g
-- Stored in time order, as an application inserting them as they happen
-- would: the warehouse's BRIN indexes on time rely on it.
ORDER BY g.created_at, g.id;

-- B2C generations, inside their session's generate step, with one of the
-- user's favourite styles (as available at that time).
INSERT INTO generations (id, event_id, b2c_user_id, style_id, status, credits, latency_ms,
                         created_at, deleted_at, updated_at)
SELECT g.id, NULL, g.user_id, g.style_id, g.status, g.credits, g.latency_ms,
       g.created_at, g.deleted_at, coalesce(g.deleted_at, g.created_at)
FROM (
    SELECT x.*,
           CASE WHEN x.status <> 'completed' THEN NULL
                WHEN almanac_demo.u(x.seed, 405, x.id)
                     < CASE WHEN x.style_id = 2 THEN 0.09 ELSE 0.007 + 0.006 * almanac_demo.u(x.seed, 406, x.style_id) END
                THEN least(x.created_at + make_interval(secs => 60 + almanac_demo.ui(x.seed, 407, x.id, 1728000)),
                           x.t_end - interval '1 second')
           END AS deleted_at,
           CASE WHEN x.status = 'failed' THEN 0 WHEN (x.style_id - 1) % 6 = 4 THEN 2 ELSE 1 END AS credits,
           CASE WHEN x.status = 'failed'
                THEN CASE WHEN x.ul < 0.5 THEN 30000 ELSE 300 + floor(900 * x.ul)::integer END
                ELSE 1200 + floor(5000 * x.ul * x.ul)::integer
                     + CASE WHEN (x.style_id - 1) % 6 = 4 THEN 1500 ELSE 0 END
           END AS latency_ms
    FROM (
        SELECT y.*,
               almanac_demo.style_at(y.fav, y.created_at, ds.n, ds.new_from, ds.unused_from, ds.retired_from) AS style_id
        FROM (
            SELECT b.off + j AS id, s.user_id, p.seed, p.t_end,
                   s.t_gen + make_interval(secs => (j - 1) * s.gen_gap_s) AS created_at,
                   CASE floor(power(almanac_demo.u(p.seed, 401, b.off + j), 2) * 4)::integer
                       WHEN 0 THEN u.p1 WHEN 1 THEN u.p2 WHEN 2 THEN u.p3 ELSE u.p4 END AS fav,
                   CASE WHEN almanac_demo.u(p.seed, 402, b.off + j) < 0.03 THEN 'failed' ELSE 'completed' END AS status,
                   almanac_demo.u(p.seed, 404, b.off + j) AS ul
            FROM tmp_session s
            JOIN tmp_gen_block b ON b.src = 1 AND b.ref = s.id
            JOIN tmp_user u ON u.id = s.user_id
            CROSS JOIN demo_p p
            CROSS JOIN generate_series(1, s.n_gen) AS j
            OFFSET 0   -- evaluate the hashes once per row, not once per use
        ) y
        CROSS JOIN demo_style ds
        OFFSET 0
    ) x
) g
ORDER BY g.created_at, g.id;

-- Credits used, per event and per B2C user and day, from the well-formed
-- generations just written (malformed ones come later and never count).
CREATE TEMP TABLE tmp_event_used ON COMMIT DROP AS
SELECT event_id, sum(credits) AS used, count(*) AS n
FROM generations
WHERE event_id IS NOT NULL
GROUP BY event_id;

CREATE TEMP TABLE tmp_b2c_day ON COMMIT DROP AS
SELECT b2c_user_id AS user_id, created_at::date AS day, sum(credits) AS used, count(*) AS n
FROM generations
WHERE b2c_user_id IS NOT NULL
GROUP BY 1, 2;

ANALYZE tmp_event_used;
ANALYZE tmp_b2c_day;

-- Truth ------------------------------------------------------------------------

INSERT INTO almanac_demo.truth (kind, subject, detail)
SELECT 'bulk_deletion', b.email,
       jsonb_build_object('actor', b.email, 'partner_id', b.partner_id,
                          'start', min(g.deleted_at), 'end', max(g.deleted_at), 'count', count(*))
FROM (SELECT DISTINCT partner_id, email, bulk_start FROM tmp_bulk) b
JOIN tmp_bulk e ON e.partner_id = b.partner_id
JOIN generations g ON g.event_id = e.event_id
WHERE g.deleted_at >= b.bulk_start AND g.deleted_at < b.bulk_start + interval '1 hour'
GROUP BY b.email, b.partner_id;

-- The poor style, with the numbers as they came out.
INSERT INTO almanac_demo.truth (kind, subject, detail)
SELECT 'poor_quality_style', s.style_id::text,
       jsonb_build_object('generations', s.n, 'deleted', s.d,
                          'deletion_rate_pct', round(100.0 * s.d / s.n, 2),
                          'platform_rate_pct', round(100.0 * t.d / t.n, 2),
                          'ratio', round((s.d::numeric / s.n) / (t.d::numeric / t.n), 2))
FROM (SELECT style_id, count(*) AS n, count(deleted_at) AS d FROM generations WHERE style_id = 2 GROUP BY style_id) s
CROSS JOIN (SELECT count(*) AS n, count(deleted_at) AS d FROM generations) t;
