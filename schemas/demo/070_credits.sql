-- Demo data, step 7: events (now that their use is known) and every credit
-- movement.
--
-- Consistency kept here, for the well-formed rows:
--   * one allocation row per event (a day or three before it, see
--     040_events.sql) = events.credits_allocated, a little above what the
--     event used;
--   * one consumption row per event, dated on the event day (23:59:59) =
--     credits of its completed generations; one per B2C user and day with
--     generations;
--   * purchases come before use: a partner tops up before the month's first
--     allocation, enough for the month's allocations; a B2C user buys before
--     the month's first session, enough (with subscription credits already
--     granted) for the month's use; so no balance ever goes negative;
--   * lifetime bought ~ used / target usage (tmp_partner.u_target), in whole
--     packs and inside the partner's band [u_lo, u_hi], which places every
--     partner in its planted segment, and a few partners under 10 %
--     remaining credit ('low_credit_partner').
-- Planted: purchases over 500 USD ('high_value_purchase'), promotion codes,
-- refunds of unused credits when a partner leaves.

INSERT INTO events (id, partner_id, name, slug, event_type, client_name, event_date,
                    credits_allocated, created_at, updated_at)
SELECT e.id, e.partner_id, e.name, e.slug, e.event_type, e.client_name, e.event_date,
       a.alloc, e.created_at, e.alloc_at   -- last changed when its credits were allocated
FROM tmp_event e
JOIN tmp_event_used eu ON eu.event_id = e.id
CROSS JOIN demo_p p
CROSS JOIN LATERAL (
    SELECT CASE WHEN eu.used = 0 THEN 5
                ELSE eu.used + floor(eu.used * e.alloc_margin + almanac_demo.u(p.seed, 500, e.id))::bigint
           END AS alloc
) a;

-- All credit movements are staged here, then numbered in time order.
CREATE TEMP TABLE tmp_ct (
    kind        text,
    partner_id  bigint,
    b2c_user_id bigint,
    event_id    bigint,
    credits     bigint,
    amount_usd  numeric(14,2),
    pack_size   integer,
    promo_code  text,
    actor       text,
    description text,
    created_at  timestamptz,
    src         integer,   -- tie-breakers for a total order
    k           bigint
) ON COMMIT DROP;

INSERT INTO tmp_ct
SELECT 'allocation', e.partner_id, NULL, e.id, ev.credits_allocated, NULL, NULL, NULL, e.email,
       'Asignación de ' || ev.credits_allocated || ' créditos a «' || e.name || '»',
       e.alloc_at, 1, e.id
FROM tmp_event e
JOIN events ev ON ev.id = e.id;

INSERT INTO tmp_ct
SELECT 'consumption', e.partner_id, NULL, e.id, eu.used, NULL, NULL, NULL, 'system',
       'Consumo del evento ' || e.slug || ' (' || eu.n || ' generaciones)',
       (e.event_date + time '23:59:59')::timestamptz, 2, e.id
FROM tmp_event e
JOIN tmp_event_used eu ON eu.event_id = e.id;

-- Partner purchases. Per partner and month m (from its approval month):
-- cumulative allocations A(m); lifetime bought B; cumulative bought by the
-- end of month m P(m) = B x A(m) / A(end), rounded up to 100 credits, at
-- least the partner's starting stock. P(m) >= A(m) because B >= A(end).
CREATE TEMP TABLE tmp_partner_buy ON COMMIT DROP AS
WITH alloc AS (
    SELECT e.partner_id, mo.m, sum(ev.credits_allocated) AS a, min(e.alloc_at) AS first_alloc
    FROM tmp_event e
    JOIN events ev ON ev.id = e.id
    JOIN demo_month mo ON mo.ms = date_trunc('month', e.alloc_at)
    GROUP BY 1, 2
), used AS (
    SELECT e.partner_id, sum(eu.used) AS u, sum(ev.credits_allocated) AS a
    FROM tmp_event e
    JOIN tmp_event_used eu ON eu.event_id = e.id
    JOIN events ev ON ev.id = e.id
    GROUP BY 1
), life AS (
    -- Bought: a whole number of 100-credit packs, nearest the target usage
    -- but inside the partner's band [u_lo, u_hi] and never below what it
    -- allocated (when the band and the packs do not fit together, u stays
    -- under u_hi: remaining credit is what alerts look at).
    SELECT t.id AS partner_id, t.appr_m, t.min_stock, t.pack, t.role, t.big_buyer,
           us.u AS used_total, us.a AS alloc_total,
           greatest(least(greatest(round(us.u / t.u_target / 100) * 100, b.lo), b.hi), b.lo, t.min_stock)::bigint AS bought_total
    FROM tmp_partner t
    JOIN used us ON us.partner_id = t.id
    CROSS JOIN LATERAL (
        SELECT ceil(greatest(us.a, us.u / t.u_hi) / 100) * 100 AS lo,
               floor(us.u / t.u_lo / 100) * 100 AS hi
    ) b
), grid AS (
    SELECT l.*, mo.m, coalesce(a.a, 0) AS a_m, a.first_alloc
    FROM life l
    JOIN demo_month mo ON mo.m >= l.appr_m
    LEFT JOIN alloc a ON a.partner_id = l.partner_id AND a.m = mo.m
), cum AS (
    SELECT g.*, sum(g.a_m) OVER (PARTITION BY g.partner_id ORDER BY g.m) AS a_cum
    FROM grid g
), req AS (
    SELECT c.*,
           greatest(ceil(ceil(c.bought_total::numeric
                              * c.a_cum / c.alloc_total) / 100) * 100,
                    c.min_stock)::bigint AS p_cum
    FROM cum c
)
SELECT r.partner_id, r.m, r.role, r.big_buyer, r.pack, r.appr_m, r.used_total, r.alloc_total, r.bought_total,
       r.first_alloc,
       r.p_cum - coalesce(lag(r.p_cum) OVER (PARTITION BY r.partner_id ORDER BY r.m), 0) AS d
FROM req r;

INSERT INTO tmp_ct
SELECT 'purchase', b.partner_id, NULL, NULL, pk.size * pk.q,
       round(pk.q * pk.price * (1 - pr.discount), 2), pk.size, pr.code, t.email,
       'Compra de ' || pk.q || ' × paquete de ' || pk.size || ' créditos'
           || CASE WHEN pr.code IS NOT NULL THEN ' con código ' || pr.code ELSE '' END,
       CASE WHEN b.m = t.appr_m
            THEN t.approved_at + make_interval(mins => 60 + almanac_demo.ui(p.seed, 501, b.partner_id, 300)::integer)
            -- A top-up a few hours before the month's first allocation.
            ELSE b.first_alloc - make_interval(mins => 60 + almanac_demo.ui(p.seed, 502, b.partner_id * 100 + b.m, 120)::integer)
       END + make_interval(mins => pk.no),
       3, b.partner_id * 1000 + b.m * 10 + pk.no
FROM tmp_partner_buy b
JOIN tmp_partner t ON t.id = b.partner_id
JOIN demo_month mo ON mo.m = b.m
CROSS JOIN demo_p p
CROSS JOIN LATERAL (
    -- Greedy split into packs: 5000-packs for power partners and big
    -- buyers, then the partner's usual pack, then smaller ones.
    SELECT q5, q1, q05, (r1 - 500 * q05) / 100 AS q01
    FROM (SELECT q5, r5, q1, r5 - 1000 * q1 AS r1,
                 CASE WHEN b.pack >= 500 THEN (r5 - 1000 * q1) / 500 ELSE 0 END AS q05
          FROM (SELECT q5, b.d - 5000 * q5 AS r5,
                       CASE WHEN b.pack >= 1000 THEN (b.d - 5000 * q5) / 1000 ELSE 0 END AS q1
                FROM (SELECT CASE WHEN b.role = 'power' OR b.big_buyer THEN b.d / 5000 ELSE 0 END AS q5) a) c) d
) sp
CROSS JOIN LATERAL (VALUES (0, 5000, sp.q5, 1490.00), (1, 1000, sp.q1, 329.00),
                           (2, 500, sp.q05, 179.00), (3, 100, sp.q01, 39.00)) AS pk(no, size, q, price)
CROSS JOIN LATERAL (
    SELECT CASE WHEN b.m = t.appr_m AND x < 0.3 THEN 'BIENVENIDA10'
                WHEN mo.moy = 11 AND x < 0.5 THEN 'BLACKFRIDAY20'
                WHEN mo.moy = 12 AND x < 0.3 THEN 'NAVIDAD15'
                WHEN x > 0.95 THEN 'PARTNER5' END AS code,
           CASE WHEN b.m = t.appr_m AND x < 0.3 THEN 0.10
                WHEN mo.moy = 11 AND x < 0.5 THEN 0.20
                WHEN mo.moy = 12 AND x < 0.3 THEN 0.15
                WHEN x > 0.95 THEN 0.05 ELSE 0 END AS discount
    FROM (SELECT almanac_demo.u(p.seed, 505, b.partner_id * 100 + b.m) AS x) xx
) pr
WHERE b.d > 0 AND pk.q > 0;

-- Partners that leave get half of their unused credits refunded.
INSERT INTO tmp_ct
SELECT 'refund', t.id, NULL, NULL, r.credits, round(r.credits * 0.30, 2), NULL, NULL,
       'admin.lucia@almanac.example',
       'Reembolso de ' || r.credits || ' créditos no usados tras la baja',
       t.deact_at + make_interval(days => 2, hours => almanac_demo.ui(p.seed, 506, t.id, 6)::integer),
       4, t.id
FROM tmp_partner t
JOIN (SELECT DISTINCT partner_id, used_total, bought_total FROM tmp_partner_buy) l ON l.partner_id = t.id
CROSS JOIN demo_p p
CROSS JOIN LATERAL (SELECT (l.bought_total - l.used_total) / 2 AS credits) r
WHERE t.role = 'churned' AND r.credits > 0
  AND t.deact_at + interval '3 days' < p.t_end;

-- B2C: daily consumption.
INSERT INTO tmp_ct
SELECT 'consumption', NULL, d.user_id, NULL, d.used, NULL, NULL, NULL, 'system',
       'Consumo diario B2C (' || d.n || ' generaciones)',
       (d.day + time '23:59:59')::timestamptz, 5, d.user_id * 100000 + (d.day - p.d0)
FROM tmp_b2c_day d
CROSS JOIN demo_p p;

-- Subscription fees, charged monthly on the start day while it runs.
INSERT INTO tmp_ct
SELECT 'subscription', NULL, s.user_id, NULL, s.credits, s.fee, NULL, NULL, u.email,
       'Suscripción ' || s.plan || ' — mes ' || (k + 1),
       c.charged_at, 6, s.id * 1000 + k
FROM tmp_subscription s
JOIN tmp_user u ON u.id = s.user_id
CROSS JOIN demo_p p
CROSS JOIN generate_series(0, 40) AS k
CROSS JOIN LATERAL (SELECT s.started_at + make_interval(months => k) AS charged_at) c
WHERE c.charged_at < least(s.ended_at, p.t_end);

-- B2C purchases. Per user and month (from the signup month to the month
-- after the last session): need(m) = use up to the end of month m -
-- subscription credits granted before month m; cumulative bought = running
-- maximum of need, in whole packs; bought 3 minutes before the month's
-- first session (or first day of use, for a session begun the month before).
CREATE TEMP TABLE tmp_b2c_buy ON COMMIT DROP AS
WITH last_session AS (
    SELECT user_id, max(started_at) AS last_start FROM tmp_session GROUP BY user_id
), span AS (
    SELECT u.id AS user_id, u.pack, u.email, u.seed, mf.m AS m_first, ml.m AS m_last
    FROM tmp_user u
    JOIN last_session ls ON ls.user_id = u.id
    JOIN demo_month mf ON mf.ms = date_trunc('month', u.created_at)
    JOIN demo_month ml ON ml.ms = date_trunc('month', ls.last_start)
), used AS (
    SELECT d.user_id, mo.m, sum(d.used) AS c, min(d.day) AS first_day
    FROM tmp_b2c_day d
    JOIN demo_month mo ON mo.ms_d = date_trunc('month', d.day)::date
    GROUP BY 1, 2
), granted AS (
    SELECT c.b2c_user_id AS user_id, mo.m, sum(c.credits) AS g
    FROM tmp_ct c
    JOIN demo_month mo ON mo.ms = date_trunc('month', c.created_at)
    WHERE c.kind = 'subscription'
    GROUP BY 1, 2
), first_session AS (
    SELECT s.user_id, mo.m, min(s.started_at) AS first_start
    FROM tmp_session s
    JOIN demo_month mo ON mo.ms = date_trunc('month', s.started_at)
    GROUP BY 1, 2
), grid AS (
    SELECT sp.user_id, sp.pack, sp.email, sp.seed, sp.m_first, gm.m,
           coalesce(us.c, 0) AS c, coalesce(gr.g, 0) AS g,
           least(fs.first_start, us.first_day::timestamptz) AS first_use
    FROM span sp
    CROSS JOIN LATERAL generate_series(sp.m_first, least(35, sp.m_last + 1)) AS gm(m)
    LEFT JOIN used us ON us.user_id = sp.user_id AND us.m = gm.m
    LEFT JOIN granted gr ON gr.user_id = sp.user_id AND gr.m = gm.m
    LEFT JOIN first_session fs ON fs.user_id = sp.user_id AND fs.m = gm.m
), need AS (
    SELECT g.*,
           sum(g.c) OVER w - (sum(g.g) OVER w - g.g) AS need
    FROM grid g
    WINDOW w AS (PARTITION BY g.user_id ORDER BY g.m)
), bought AS (
    SELECT n.*,
           ceil(greatest(0, max(n.need) OVER (PARTITION BY n.user_id ORDER BY n.m)) / n.pack::numeric)::bigint AS packs_cum
    FROM need n
)
SELECT b.user_id, b.m, b.pack, b.email, b.seed, b.m_first, b.first_use,
       b.packs_cum - coalesce(lag(b.packs_cum) OVER (PARTITION BY b.user_id ORDER BY b.m), 0) AS q,
       b.packs_cum = (b.packs_cum - coalesce(lag(b.packs_cum) OVER (PARTITION BY b.user_id ORDER BY b.m), 0)) AS first_buy
FROM bought b;

INSERT INTO tmp_ct
SELECT 'b2c_purchase', NULL, b.user_id, NULL, b.q * b.pack,
       round(b.q * pr.price * (1 - pc.discount), 2), b.pack, pc.code, b.email,
       'Compra de ' || (b.q * b.pack) || ' créditos',
       -- (never before the signup: the first session can start 2 minutes after it)
       greatest(u.created_at, b.first_use - interval '3 minutes'), 7, b.user_id * 100 + b.m
FROM tmp_b2c_buy b
JOIN tmp_user u ON u.id = b.user_id
JOIN demo_month mo ON mo.m = b.m
CROSS JOIN LATERAL (
    SELECT CASE b.pack WHEN 10 THEN 2.99 WHEN 30 THEN 7.99 WHEN 100 THEN 19.99 ELSE 49.99 END AS price
) pr
CROSS JOIN LATERAL (
    SELECT CASE WHEN b.first_buy AND x < 0.4 THEN 'BIENVENIDA20'
                WHEN mo.moy IN (7, 8) AND x < 0.25 THEN 'VERANO15'
                WHEN mo.moy = 11 AND x < 0.4 THEN 'BLACKFRIDAY30' END AS code,
           CASE WHEN b.first_buy AND x < 0.4 THEN 0.20
                WHEN mo.moy IN (7, 8) AND x < 0.25 THEN 0.15
                WHEN mo.moy = 11 AND x < 0.4 THEN 0.30 ELSE 0 END AS discount
    FROM (SELECT almanac_demo.u(b.seed, 510, b.user_id * 100 + b.m) AS x) xx
) pc
WHERE b.q > 0;

-- A few casual users ask for their unused credits back ten days after their
-- last session.
INSERT INTO tmp_ct
SELECT 'refund', NULL, u.id, NULL, r.credits,
       round(r.credits * CASE u.pack WHEN 10 THEN 0.299 WHEN 30 THEN 0.2663 WHEN 100 THEN 0.1999 ELSE 0.1666 END, 2),
       NULL, NULL, u.email, 'Devolución de créditos no usados',
       r.last_start + interval '10 days', 8, u.id
FROM tmp_user u
CROSS JOIN demo_p p
JOIN (SELECT user_id, max(started_at) AS last_start FROM tmp_session GROUP BY user_id) ls ON ls.user_id = u.id
-- (the balance at the time of the refund: later subscription credits do
-- not count)
JOIN (SELECT c.b2c_user_id,
             sum(CASE WHEN c.kind IN ('b2c_purchase', 'subscription') THEN c.credits
                      WHEN c.kind = 'consumption' THEN -c.credits ELSE 0 END) AS balance
      FROM tmp_ct c
      JOIN (SELECT user_id, max(started_at) AS last_start FROM tmp_session GROUP BY user_id) l
        ON l.user_id = c.b2c_user_id
      WHERE c.created_at < l.last_start + interval '10 days'
      GROUP BY c.b2c_user_id) bal ON bal.b2c_user_id = u.id
CROSS JOIN LATERAL (SELECT ls.last_start, bal.balance / 2 AS credits) r
WHERE u.class = 'casual' AND almanac_demo.u(p.seed, 511, u.id) < 0.1
  AND r.credits >= 10 AND r.last_start + interval '10 days' < p.t_end;

INSERT INTO credit_transactions (id, kind, partner_id, b2c_user_id, event_id, credits, amount_usd,
                                 pack_size, promo_code, actor, description, created_at, updated_at)
SELECT row_number() OVER (ORDER BY c.created_at, c.src, c.k),
       c.kind, c.partner_id, c.b2c_user_id, c.event_id, c.credits, c.amount_usd,
       c.pack_size, c.promo_code, c.actor, c.description, c.created_at, c.created_at
FROM tmp_ct c;

-- Truth ------------------------------------------------------------------------

-- Segments at the end of history, for partners active then. The numbers are
-- read back from the rows just written, and must agree with the plan.
CREATE TEMP TABLE tmp_segment ON COMMIT DROP AS
SELECT t.id, t.role,
       coalesce(e.n, 0) AS events_90d,
       coalesce(c.used, 0) AS used,
       coalesce(c.bought, 0) AS bought,
       coalesce(c.refunded, 0) AS refunded
FROM tmp_partner t
LEFT JOIN (SELECT e.partner_id, count(*) AS n
           FROM tmp_event e, demo_p p
           WHERE e.event_date >= p.d_end - 90
           GROUP BY e.partner_id) e ON e.partner_id = t.id
LEFT JOIN (SELECT partner_id,
                  sum(credits) FILTER (WHERE kind = 'consumption') AS used,
                  sum(credits) FILTER (WHERE kind = 'purchase') AS bought,
                  sum(credits) FILTER (WHERE kind = 'refund') AS refunded
           FROM credit_transactions
           WHERE partner_id IS NOT NULL
           GROUP BY partner_id) c ON c.partner_id = t.id;

DO $$
DECLARE
    r record;
BEGIN
    FOR r IN
        SELECT s.*, CASE WHEN s.events_90d = 0 THEN 'dormant'
                         WHEN s.events_90d / 3.0 >= 10 AND 100.0 * s.used / nullif(s.bought, 0) >= 80 THEN 'power'
                         WHEN s.events_90d / 3.0 >= 3 AND 100.0 * s.used / nullif(s.bought, 0) >= 50 THEN 'active'
                         ELSE 'occasional' END AS by_rule
        FROM tmp_segment s
        WHERE s.role <> 'churned'
    LOOP
        IF r.by_rule <> r.role THEN
            RAISE EXCEPTION 'demo generator: partner % planted as % lands in % (events_90d %, used %, bought %)',
                r.id, r.role, r.by_rule, r.events_90d, r.used, r.bought;
        END IF;
    END LOOP;
END
$$;

INSERT INTO almanac_demo.truth (kind, subject, detail)
SELECT 'partner_segment', s.id::text,
       jsonb_build_object('segment', s.role,
                          'events_90d', s.events_90d,
                          'events_per_month', round(s.events_90d / 3.0, 2),
                          'credits_used', s.used,
                          'credits_bought', s.bought,
                          'usage_pct', round(100.0 * s.used / nullif(s.bought, 0), 2))
FROM tmp_segment s
WHERE s.role <> 'churned';

INSERT INTO almanac_demo.truth (kind, subject, detail)
SELECT 'low_credit_partner', s.id::text,
       jsonb_build_object('credits_bought', s.bought, 'credits_used', s.used,
                          'credits_refunded', s.refunded,
                          'remaining', s.bought - s.used - s.refunded,
                          'remaining_pct', round(100.0 * (s.bought - s.used - s.refunded) / s.bought, 2))
FROM tmp_segment s
WHERE s.bought > 0 AND (s.bought - s.used - s.refunded) < 0.10 * s.bought;

INSERT INTO almanac_demo.truth (kind, subject, detail)
SELECT 'high_value_purchase', c.id::text,
       jsonb_build_object('partner_id', c.partner_id, 'b2c_user_id', c.b2c_user_id,
                          'amount_usd', c.amount_usd, 'credits', c.credits,
                          'pack_size', c.pack_size, 'created_at', c.created_at)
FROM credit_transactions c
WHERE c.kind IN ('purchase', 'b2c_purchase') AND c.amount_usd > 500;
