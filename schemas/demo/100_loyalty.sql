-- Demo data, step 10: the loyalty program (seed 002): brands, reward rules,
-- perks and the transaction events.
--
-- Economy: brands buy RSNC with USD (purchase, 1 USD = 100 RSNC), award it
-- to their customers (distribution, the reward's amount), customers spend
-- it on perks (perk_claim, the perk's price; the perk's value_usd is the
-- brand's revenue), and a few brands sell unused RSNC back (sellback, 90 %
-- of its USD value). A brand's purchases at the start of each month cover
-- that month's distributions and sellbacks plus a buffer, so its balance
-- (bought - distributed - sold back) is never negative.
--
-- Planted:
--   * brand 2 stopped topping up generously four months before the end: its
--     balance lasts about 4 days of distribution ('brand_low_rsnc'); every
--     other brand keeps about 2.5 months;
--   * brand 1's first perk is nearly out of stock, 5 % left
--     ('perk_low_supply');
--   * brand 3 launched a limited edition perk 40 days before the end that
--     sells so fast its supply lasts about 6 days ('perk_selling_out');
--     every other perk keeps over a third of its supply and 90 days of claims;
--   * brand 5 distributes a lot but its customers hardly redeem
--     (capital efficiency about 6 %, 'loyalty_low_efficiency').

CREATE TEMP TABLE tmp_brand ON COMMIT DROP AS
WITH b AS (
    SELECT k AS id, p.seed, p.n_brands,
           CASE WHEN k <= ceil(0.4 * p.n_brands) OR k = 5 THEN almanac_demo.ui(p.seed, 800, k, 3)
                ELSE 3 + almanac_demo.ui(p.seed, 800, k, 26) END::integer AS cm
    FROM demo_p p, generate_series(1, p.n_brands) AS k
)
SELECT b.id, b.seed, b.cm,
       mo.ms + make_interval(days => almanac_demo.ui(b.seed, 801, b.id, 20)::integer, hours => 10,
                             mins => almanac_demo.ui(b.seed, 802, b.id, 60)::integer) AS created_at,
       CASE WHEN b.id = 4 THEN '@Marca Ñandú, "Premium"'
            ELSE (almanac_demo.words('brand'))[1 + (b.id - 1) % 16]
                 || CASE WHEN b.id > 16 THEN ' ' || (1 + (b.id - 1) / 16)::text ELSE '' END
       END AS name,
       -- Relative volume of distributions (log-normal around 1; brand 2
       -- busy, brand 5 three times the typical brand).
       CASE b.id WHEN 5 THEN 3.0
                 ELSE exp(0.5 * almanac_demo.z(b.seed, 803, b.id)) * CASE b.id WHEN 2 THEN 2.0 ELSE 1.0 END
       END AS weight,
       -- Share of distributed RSNC that customers redeem.
       CASE WHEN b.id = 5 THEN 0.06 ELSE 0.25 + 0.40 * almanac_demo.u(b.seed, 806, b.id) END AS efficiency,
       3 + almanac_demo.ui(b.seed, 807, b.id, 3)::integer AS n_rewards,
       3 + almanac_demo.ui(b.seed, 808, b.id, 4)::integer AS n_perks
FROM b
JOIN demo_month mo ON mo.m = b.cm;

INSERT INTO loyalty_brands (id, name, created_at, updated_at)
SELECT id, name, created_at, created_at FROM tmp_brand;

-- Reward rules: the first never ends; half of the brands retire their last
-- rule half-way.
CREATE TEMP TABLE tmp_reward ON COMMIT DROP AS
SELECT row_number() OVER (ORDER BY b.id, r) AS id, b.id AS brand_id, r AS no,
       almanac_demo.pick(almanac_demo.words('reward'), almanac_demo.u(b.seed, 810, b.id * 10 + r)) AS name,
       (ARRAY[25, 50, 100, 150, 250])[1 + almanac_demo.ui(b.seed, 811, b.id * 10 + r, 5)::integer] AS rsnc_amount,
       b.created_at + make_interval(hours => r - 1) AS created_at,
       CASE WHEN r > 1 AND r = b.n_rewards AND almanac_demo.u(b.seed, 812, b.id) < 0.5
            THEN date_trunc('second', b.created_at + (p.t_end - b.created_at) * (0.4 + 0.3 * almanac_demo.u(b.seed, 813, b.id)))
       END AS deactivated_at
FROM tmp_brand b
CROSS JOIN demo_p p
CROSS JOIN generate_series(1, b.n_rewards) AS r;

INSERT INTO loyalty_rewards (id, brand_id, name, rsnc_amount, active, created_at, deactivated_at, updated_at)
SELECT id, brand_id, name, rsnc_amount, deactivated_at IS NULL, created_at, deactivated_at,
       coalesce(deactivated_at, created_at)
FROM tmp_reward;

-- Perks. Brand 3 gets an extra limited edition, 40 days before the end.
CREATE TEMP TABLE tmp_perk ON COMMIT DROP AS
WITH pk AS (
    SELECT b.id AS brand_id, k AS no, b.seed, b.created_at AS brand_created, k > b.n_perks AS limited
    FROM tmp_brand b
    CROSS JOIN generate_series(1, b.n_perks + CASE WHEN b.id = 3 THEN 1 ELSE 0 END) AS k
)
SELECT row_number() OVER (ORDER BY pk.brand_id, pk.no) AS id, pk.brand_id, pk.no, pk.limited,
       CASE WHEN pk.limited THEN 'Edición limitada Ωmega — taza numerada'
            WHEN pk.brand_id = 4 AND pk.no = 1 THEN '=HYPERLINK("http://x","y")'
            WHEN pk.brand_id = 4 AND pk.no = 2 THEN '-2 credits de regalo'
            WHEN pk.brand_id = 4 AND pk.no = 3 THEN E'Café "gratis", con leche\ny bollo'
            ELSE almanac_demo.pick(almanac_demo.words('perk'), almanac_demo.u(pk.seed, 820, pk.brand_id * 10 + pk.no))
       END AS name,
       (ARRAY[100, 150, 250, 400, 500])[1 + almanac_demo.ui(pk.seed, 821, pk.brand_id * 10 + pk.no, 5)::integer] AS price_rsnc,
       CASE WHEN pk.limited THEN p.t_end - interval '40 days' + interval '10 hours'
            ELSE pk.brand_created + make_interval(days => 30 * (pk.no - 1), hours => 2) END AS created_at,
       -- Share of the brand's claims; brand 1's first perk is the popular one.
       (0.5 + almanac_demo.u(pk.seed, 822, pk.brand_id * 10 + pk.no))
           * CASE WHEN pk.brand_id = 1 AND pk.no = 1 THEN 3 ELSE 1 END AS weight,
       pk.brand_id = 1 AND pk.no = 1 AS low_supply
FROM pk
CROSS JOIN demo_p p;

-- Brand x day: expected distributions, calibrated to about 330,000 x scale
-- in total; growing over time, busier at weekends.
CREATE TEMP TABLE tmp_brand_day ON COMMIT DROP AS
WITH g AS (
    SELECT b.id AS brand_id, d::date AS day,
           b.weight * (0.6 + 0.8 * (d::date - p.d0) / (p.d_end - p.d0)::float8)
               * CASE WHEN extract(isodow FROM d) >= 6 THEN 1.3 ELSE 0.88 END AS raw
    FROM tmp_brand b
    CROSS JOIN demo_p p
    CROSS JOIN generate_series(b.created_at::date + 1, p.d_end - 1, interval '1 day') AS d
)
SELECT g.brand_id, g.day,
       g.raw * 330000 * p.scale
           / sum(g.raw) OVER (ORDER BY g.brand_id, g.day ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS lambda
FROM g CROSS JOIN demo_p p;

-- Loyalty members: a wallet address or a member number.
CREATE TEMP TABLE tmp_lt (
    brand_id    bigint,
    type        text,
    user_ref    text,
    perk_id     bigint,
    reward_id   bigint,
    usd_amount  numeric(14,2),
    rsnc_amount bigint,
    metadata    text,
    created_at  timestamptz,
    src         integer,   -- tie-breakers for a total order
    k           bigint
) ON COMMIT DROP;

INSERT INTO tmp_lt
SELECT x.brand_id, 'distribution', almanac_demo.member_ref(p.seed, x.member),
       NULL, r.id, NULL, r.rsnc_amount,
       json_build_object('channel', almanac_demo.pick(ARRAY['pos', 'pos', 'app', 'web'], almanac_demo.u(p.seed, 830, x.k)),
                         'store', almanac_demo.pick(almanac_demo.words('place'), almanac_demo.u(p.seed, 831, x.brand_id)),
                         'order_id', 'ORD-' || x.k)::text,
       x.at, 1, x.k
FROM (
    SELECT bd.brand_id, bd.day, j,
           (bd.brand_id::bigint * 100000 + (bd.day - p.d0)) * 100000 + j AS k,
           (bd.day + time '09:00')::timestamptz
               + almanac_demo.secs(floor(43200 * almanac_demo.u(p.seed, 832, (bd.brand_id::bigint * 100000 + (bd.day - p.d0)) * 100000 + j))) AS at,
           1 + (bd.brand_id * 7919 + floor(power(almanac_demo.u(p.seed, 833, (bd.brand_id::bigint * 100000 + (bd.day - p.d0)) * 100000 + j), 1.2)
                                            * greatest(50, p.n_members / 4)))::bigint % p.n_members AS member,
           1 + almanac_demo.ui(p.seed, 834, (bd.brand_id::bigint * 100000 + (bd.day - p.d0)) * 100000 + j, b.n_rewards)::integer AS r_no
    FROM tmp_brand_day bd
    JOIN tmp_brand b ON b.id = bd.brand_id
    CROSS JOIN demo_p p
    CROSS JOIN generate_series(1, floor(bd.lambda + almanac_demo.u(p.seed, 835, bd.brand_id * 100000 + (bd.day - p.d0)))::integer) AS j
    OFFSET 0   -- compute once per row what is used several times below
) x
CROSS JOIN demo_p p
JOIN tmp_reward r0 ON r0.brand_id = x.brand_id AND r0.no = x.r_no
-- A retired rule no longer awards; the brand's first rule does instead.
JOIN tmp_reward r ON r.brand_id = x.brand_id
                 AND r.no = CASE WHEN r0.deactivated_at <= x.at THEN 1 ELSE x.r_no END;

-- Perk claims per perk and day: the brand's efficiency x its RSNC awarded
-- that day x the perk's share / price. The limited edition sells at least
-- 3 a day (more at larger scales).
CREATE TEMP TABLE tmp_perk_day ON COMMIT DROP AS
SELECT pk.id AS perk_id, pk.brand_id, bd.day,
       CASE WHEN pk.limited THEN greatest(3.0, 25 * p.scale)
            ELSE b.efficiency * bd.lambda * avg_r.rsnc * pk.weight / w.total / pk.price_rsnc
       END AS lambda
FROM tmp_perk pk
JOIN tmp_brand b ON b.id = pk.brand_id
JOIN tmp_brand_day bd ON bd.brand_id = pk.brand_id AND bd.day > pk.created_at::date
JOIN (SELECT brand_id, avg(rsnc_amount) AS rsnc FROM tmp_reward GROUP BY brand_id) avg_r ON avg_r.brand_id = pk.brand_id
JOIN (SELECT brand_id, sum(weight ORDER BY id) AS total FROM tmp_perk WHERE NOT limited GROUP BY brand_id) w ON w.brand_id = pk.brand_id
CROSS JOIN demo_p p;

INSERT INTO tmp_lt
SELECT x.brand_id, 'perk_claim', almanac_demo.member_ref(p.seed, x.member),
       x.perk_id, NULL, pk.value_usd, pk.price_rsnc,
       json_build_object('perk', pk.name, 'redemption_code', 'RC-' || upper(substr(md5(p.seed::text || '/' || x.k), 1, 8)),
                         'channel', almanac_demo.pick(ARRAY['app', 'app', 'pos'], almanac_demo.u(p.seed, 840, x.k)))::text,
       x.at, 2, x.k
FROM (
    SELECT pd.brand_id, pd.perk_id, j,
           (pd.perk_id * 100000 + (pd.day - p.d0)) * 100000 + j AS k,
           (pd.day + time '10:00')::timestamptz
               + almanac_demo.secs(floor(39600 * almanac_demo.u(p.seed, 841, (pd.perk_id * 100000 + (pd.day - p.d0)) * 100000 + j))) AS at,
           1 + (pd.brand_id * 7919 + floor(power(almanac_demo.u(p.seed, 842, (pd.perk_id * 100000 + (pd.day - p.d0)) * 100000 + j), 1.2)
                                            * greatest(50, p.n_members / 4)))::bigint % p.n_members AS member
    FROM tmp_perk_day pd
    CROSS JOIN demo_p p
    CROSS JOIN generate_series(1, floor(pd.lambda + almanac_demo.u(p.seed, 843, pd.perk_id * 100000 + (pd.day - p.d0)))::integer) AS j
    OFFSET 0
) x
CROSS JOIN demo_p p
JOIN (SELECT t.*, round((t.price_rsnc * 0.01 * (0.8 + 0.7 * almanac_demo.u(p.seed, 844, t.id)))::numeric, 2) AS value_usd
      FROM tmp_perk t CROSS JOIN demo_p p) pk ON pk.id = x.perk_id;

-- Sellbacks: every third brand (not brand 2) sells back a fifth of a
-- month's distributions once, mid-history.
INSERT INTO tmp_lt
SELECT b.id, 'sellback', NULL, NULL, NULL, round(s.rsnc / 100.0 * 0.9, 2), s.rsnc,
       json_build_object('reason', 'excedente de saldo', 'payout', 'stripe')::text,
       mo.ms + interval '15 days 14 hours', 3, b.id
FROM tmp_brand b
JOIN demo_month mo ON mo.m = least(33, b.cm + 6 + almanac_demo.ui(b.seed, 850, b.id, 12)::integer)
JOIN (SELECT t.brand_id, date_trunc('month', t.created_at) AS month, sum(t.rsnc_amount) AS dist
      FROM tmp_lt t WHERE t.type = 'distribution'
      GROUP BY 1, 2) d ON d.brand_id = b.id AND d.month = mo.ms - interval '1 month'
CROSS JOIN LATERAL (SELECT greatest(100, round(0.2 * d.dist / 100) * 100)::bigint AS rsnc) s
WHERE b.id % 3 = 0 AND b.id <> 2;

-- Purchases: at the start of each month (right after creation in the
-- first), enough for the month plus a buffer of 2.5 months of need; brand
-- 2 lowers its buffer to 0.12 of a month for the last four months.
CREATE TEMP TABLE tmp_brand_buy ON COMMIT DROP AS
WITH flows AS (
    SELECT t.brand_id, date_trunc('month', t.created_at) AS month, sum(t.rsnc_amount) AS n
    FROM tmp_lt t
    WHERE t.type IN ('distribution', 'sellback')
    GROUP BY 1, 2
), need AS (
    SELECT b.id AS brand_id, b.cm, mo.m, coalesce(f.n, 0) AS n
    FROM tmp_brand b
    JOIN demo_month mo ON mo.m >= b.cm
    LEFT JOIN flows f ON f.brand_id = b.id AND f.month = mo.ms
), target AS (
    SELECT n.*,
           sum(n.n) OVER (PARTITION BY n.brand_id ORDER BY n.m)
               + n.n * CASE WHEN n.brand_id = 2 AND n.m >= 32 THEN 0.12 ELSE 2.5 END AS t
    FROM need n
), cum AS (
    SELECT t.*, ceil(max(t.t) OVER (PARTITION BY t.brand_id ORDER BY t.m) / 100) * 100 AS p
    FROM target t
)
SELECT c.brand_id, c.cm, c.m,
       (c.p - coalesce(lag(c.p) OVER (PARTITION BY c.brand_id ORDER BY c.m), 0))::bigint AS rsnc
FROM cum c;

INSERT INTO tmp_lt
SELECT bb.brand_id, 'purchase', NULL, NULL, NULL, round(bb.rsnc / 100.0, 2), bb.rsnc,
       json_build_object('payment', 'stripe',
                         'invoice', 'in_' || substr(md5(p.seed::text || '/inv/' || bb.brand_id || '/' || bb.m), 1, 14))::text,
       CASE WHEN bb.m = bb.cm THEN b.created_at + interval '30 minutes'
            ELSE mo.ms + make_interval(mins => 30 + almanac_demo.ui(p.seed, 851, bb.brand_id * 100 + bb.m, 30)::integer)
       END,
       0, bb.brand_id * 100 + bb.m
FROM tmp_brand_buy bb
JOIN tmp_brand b ON b.id = bb.brand_id
JOIN demo_month mo ON mo.m = bb.m
CROSS JOIN demo_p p
WHERE bb.rsnc > 0;

INSERT INTO loyalty_transactions (id, brand_id, type, user_ref, perk_id, reward_id, usd_amount,
                                  rsnc_amount, tx_hash, metadata, created_at, updated_at)
SELECT n.id, n.brand_id, n.type, n.user_ref, n.perk_id, n.reward_id, n.usd_amount, n.rsnc_amount,
       '0x' || almanac_demo.hex64(p.seed, 852, n.id), n.metadata, n.created_at, n.created_at
FROM (
    SELECT row_number() OVER (ORDER BY t.created_at, t.src, t.k) AS id, t.*
    FROM tmp_lt t
) n
CROSS JOIN demo_p p;

-- Supply: total = claims so far + what is left. Normal perks keep over a
-- third of their supply and 90 days of claims at the last week's pace.
INSERT INTO loyalty_perks (id, brand_id, name, price_rsnc, value_usd, total_supply, active,
                           created_at, updated_at)
SELECT pk.id, pk.brand_id, pk.name, pk.price_rsnc,
       round((pk.price_rsnc * 0.01 * (0.8 + 0.7 * almanac_demo.u(p.seed, 844, pk.id)))::numeric, 2),
       c.claims + CASE
           WHEN pk.low_supply THEN greatest(1, round(0.05 * c.claims))
           WHEN pk.limited THEN greatest(2, ceil(c.last7 / 7.0 * 6))
           ELSE ceil(greatest(ceil(0.6 * c.claims), ceil(c.last7 / 7.0 * 90), 50) / 50.0) * 50
       END,
       true, pk.created_at, pk.created_at
FROM tmp_perk pk
CROSS JOIN demo_p p
JOIN (SELECT tp.id AS perk_id, count(t.perk_id) AS claims,
             count(t.perk_id) FILTER (WHERE t.created_at >= p.t_end - interval '7 days') AS last7
      FROM tmp_perk tp
      CROSS JOIN demo_p p
      LEFT JOIN tmp_lt t ON t.perk_id = tp.id AND t.type = 'perk_claim'
      GROUP BY tp.id) c ON c.perk_id = pk.id;

-- Truth: computed from the rows with the alert rules, then checked against
-- the plan (the planted items are in, nothing else is).
CREATE TEMP TABLE tmp_loyalty_check ON COMMIT DROP AS
WITH claims AS (
    SELECT t.perk_id, count(*) AS claims,
           count(*) FILTER (WHERE t.created_at >= p.t_end - interval '7 days') AS last7
    FROM loyalty_transactions t CROSS JOIN demo_p p
    WHERE t.type = 'perk_claim'
    GROUP BY t.perk_id
), flows AS (
    SELECT t.brand_id,
           sum(CASE t.type WHEN 'purchase' THEN t.rsnc_amount ELSE -t.rsnc_amount END)
               FILTER (WHERE t.type IN ('purchase', 'distribution', 'sellback')) AS balance,
           coalesce(sum(t.rsnc_amount) FILTER (WHERE t.type = 'distribution'
                                                 AND t.created_at >= p.t_end - interval '30 days'), 0) AS dist30
    FROM loyalty_transactions t CROSS JOIN demo_p p
    GROUP BY t.brand_id
)
SELECT 'perk' AS what, pk.id, pk.total_supply AS total, pk.total_supply - coalesce(c.claims, 0) AS remaining,
       coalesce(c.last7, 0) / 7.0 AS per_day,
       (pk.total_supply - coalesce(c.claims, 0)) < 0.10 * pk.total_supply AS low,
       coalesce(c.last7, 0) > 0 AND (pk.total_supply - c.claims) / (c.last7 / 7.0) < 14 AS fast,
       tp.low_supply AS planted_low, tp.limited AS planted_fast
FROM loyalty_perks pk
JOIN tmp_perk tp ON tp.id = pk.id
LEFT JOIN claims c ON c.perk_id = pk.id
UNION ALL
SELECT 'brand', b.id, NULL, f.balance, f.dist30 / 30.0,
       f.dist30 > 0 AND f.balance / (f.dist30 / 30.0) < 14, false, b.id = 2, false
FROM loyalty_brands b
JOIN flows f ON f.brand_id = b.id;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM tmp_loyalty_check WHERE low <> planted_low OR (what = 'perk' AND planted_fast AND NOT fast)) THEN
        RAISE EXCEPTION 'demo generator: loyalty alerts do not match the plan: %',
            (SELECT string_agg(what || ' ' || id, ', ') FROM tmp_loyalty_check
             WHERE low <> planted_low OR (what = 'perk' AND planted_fast AND NOT fast));
    END IF;
END
$$;

INSERT INTO almanac_demo.truth (kind, subject, detail)
SELECT 'perk_low_supply', c.id::text,
       jsonb_build_object('brand_id', pk.brand_id, 'total_supply', c.total, 'remaining', c.remaining,
                          'remaining_pct', round(100.0 * c.remaining / c.total, 2))
FROM tmp_loyalty_check c
JOIN loyalty_perks pk ON pk.id = c.id
WHERE c.what = 'perk' AND c.low;

INSERT INTO almanac_demo.truth (kind, subject, detail)
SELECT 'perk_selling_out', c.id::text,
       jsonb_build_object('brand_id', pk.brand_id, 'total_supply', c.total, 'remaining', c.remaining,
                          'claims_per_day_7d', round(c.per_day, 2),
                          'days_left', round(c.remaining / c.per_day, 1))
FROM tmp_loyalty_check c
JOIN loyalty_perks pk ON pk.id = c.id
WHERE c.what = 'perk' AND c.fast;

INSERT INTO almanac_demo.truth (kind, subject, detail)
SELECT 'brand_low_rsnc', c.id::text,
       jsonb_build_object('balance', c.remaining, 'distribution_per_day_30d', round(c.per_day, 2),
                          'days_left', round(c.remaining / c.per_day, 1))
FROM tmp_loyalty_check c
WHERE c.what = 'brand' AND c.low;

-- The insight of seed 002: distribution above the brands' median but
-- capital efficiency under 20 %.
INSERT INTO almanac_demo.truth (kind, subject, detail)
SELECT 'loyalty_low_efficiency', x.brand_id::text,
       jsonb_build_object('distributed', x.dist, 'redeemed', x.redeemed,
                          'capital_efficiency_pct', round(100.0 * x.redeemed / x.dist, 2),
                          'median_distributed', (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY d)
                                                 FROM (SELECT sum(rsnc_amount) AS d FROM loyalty_transactions
                                                       WHERE type = 'distribution' GROUP BY brand_id) m))
FROM (
    SELECT t.brand_id,
           sum(t.rsnc_amount) FILTER (WHERE t.type = 'distribution') AS dist,
           coalesce(sum(t.rsnc_amount) FILTER (WHERE t.type = 'perk_claim'), 0) AS redeemed
    FROM loyalty_transactions t
    WHERE t.brand_id = 5
    GROUP BY t.brand_id
) x;
