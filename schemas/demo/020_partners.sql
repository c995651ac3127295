-- Demo data, step 2: partners, their status history, applications and API
-- keys.
--
-- Planted here:
--   * growth: 45 % of the partners join in the launch month, the rest over
--     the following 35 months at a slowly rising rate ('partner_growth');
--   * churn: about 8 % are deactivated for good, after their events stopped;
--     one partner (more at large scales) is deactivated and reactivated
--     within the same month ('partner_reactivated');
--   * contract value changes for MRR history ('contract_change');
--   * each partner's role, which later steps turn into the segment it lands
--     in at the end of history (see 070_credits.sql for 'partner_segment');
--   * pending applications of known age ('pending_application');
--   * hostile names (formula-like text, quotes, commas, newlines).

CREATE TEMP TABLE tmp_partner0 ON COMMIT DROP AS
WITH base AS (
    SELECT p.seed, p.n_partners AS n, round(0.45 * p.n_partners)::integer AS n0, i AS id
    FROM demo_p p, generate_series(1, p.n_partners) AS i
), pos AS (
    -- x: approval position in months since the start of history. The launch
    -- cohort fills month 0; the others follow a density rising by 4 % a
    -- month (inverse of its quadratic distribution function).
    SELECT b.*,
           CASE WHEN b.id <= b.n0 THEN 0.1 + 0.9 * (b.id - 0.5) / b.n0
                ELSE 1 + (-1 + sqrt(1 + 0.08 * 59.5 * (b.id - b.n0 - 0.5) / (b.n - b.n0))) / 0.04
           END AS x
    FROM base b
), appr AS (
    SELECT pos.id, pos.seed, pos.n, pos.id <= pos.n0 AS launch,
           floor(pos.x)::integer AS appr_m,
           mo.ms + make_interval(days => floor((pos.x - floor(pos.x)) * 25)::integer,
                                 hours => 9 + almanac_demo.ui(pos.seed, 100, pos.id, 9)::integer,
                                 mins => almanac_demo.ui(pos.seed, 101, pos.id, 60)::integer) AS approved_at
    FROM pos
    JOIN demo_month mo ON mo.m = floor(pos.x)::integer
), churn AS (
    -- Churned partners: chosen among those approved by month 30 so that
    -- they have a life before they stop.
    SELECT a.*,
           row_number() OVER (ORDER BY (a.appr_m <= 30) DESC, almanac_demo.u(a.seed, 102, a.id), a.id)
               <= greatest(3, round(0.08 * a.n)) AS churned
    FROM appr a
), seg AS (
    -- The remaining partners are active at the end of history and split
    -- 10 % power / 30 % active / 20 % dormant / 40 % occasional. Power
    -- partners need 15 months of history (their lifetime credits must be
    -- large next to the 100-credit pack, even at small scales), active and
    -- dormant ones six months; the newest partners are always occasional.
    SELECT c.*,
           CASE WHEN c.churned THEN NULL
                ELSE row_number() OVER (PARTITION BY c.churned
                                        ORDER BY (c.appr_m <= 20) DESC,
                                                 almanac_demo.u(c.seed, 103, c.id), c.id)
           END AS rp,
           count(*) FILTER (WHERE NOT c.churned) OVER () AS n_live
    FROM churn c
), seg2 AS (
    SELECT s.*,
           s.rp <= round(0.10 * s.n_live) AS power,
           row_number() OVER (PARTITION BY s.churned OR s.rp <= round(0.10 * s.n_live)
                              ORDER BY (s.appr_m <= 29) DESC, almanac_demo.u(s.seed, 129, s.id), s.id) AS r
    FROM seg s
), roles AS (
    SELECT s.*,
           CASE WHEN s.churned THEN 'churned'
                WHEN s.power THEN 'power'
                WHEN s.r <= round(0.40 * s.n_live) - round(0.10 * s.n_live) THEN 'active'
                WHEN s.r <= round(0.60 * s.n_live) - round(0.10 * s.n_live) THEN 'dormant'
                ELSE 'occasional'
           END AS role
    FROM seg2 s
), ranked AS (
    SELECT r.*,
           row_number() OVER (PARTITION BY r.role, (r.appr_m <= 30)
                              ORDER BY almanac_demo.u(r.seed, 104, r.id), r.id) AS role_rank
    FROM roles r
), planned AS (
    SELECT k.*,
           -- Month whose start ends a dormant or churned partner's events.
           CASE k.role
               WHEN 'dormant' THEN k.appr_m + 2 + almanac_demo.ui(k.seed, 105, k.id, 30 - k.appr_m)::integer
               ELSE 36
           END AS dormant_stop_m,
           k.appr_m + 4 + almanac_demo.ui(k.seed, 106, k.id, 32 - k.appr_m)::integer AS deact_m,
           k.role = 'active' AND k.role_rank <= greatest(1, round(0.005 * k.n)) AS reactivated,
           k.role = 'power' AND k.role_rank % 3 = 1 AS low_credit,
           k.role = 'occasional' AND k.appr_m <= 30 AND k.role_rank <= 2 AS big_buyer
    FROM ranked k
)
SELECT pl.id, pl.seed, pl.launch, pl.appr_m, pl.approved_at,
       pl.approved_at - make_interval(hours => 2 + almanac_demo.ui(pl.seed, 107, pl.id,
                                                      CASE WHEN pl.launch THEN 40 ELSE 120 END)::integer,
                                      mins => almanac_demo.ui(pl.seed, 108, pl.id, 60)::integer) AS created_at,
       pl.role, pl.role_rank, pl.reactivated, pl.low_credit, pl.big_buyer,
       -- Events per month the partner is sized for. Power partners land at
       -- e = 12.5..14 (rule: >= 10), active at 4.5..6.5 (3..10), occasional
       -- at 0.5..1.1 (< 3): far from every boundary.
       CASE pl.role
           WHEN 'power'      THEN 12.5 + 1.5 * almanac_demo.u(pl.seed, 109, pl.id)
           WHEN 'active'     THEN 4.5 + 2.0 * almanac_demo.u(pl.seed, 109, pl.id)
           WHEN 'occasional' THEN 0.5 + 0.6 * almanac_demo.u(pl.seed, 109, pl.id)
           WHEN 'dormant'    THEN 1.5 + 2.0 * almanac_demo.u(pl.seed, 109, pl.id)
           ELSE                   0.8 + 1.5 * almanac_demo.u(pl.seed, 109, pl.id)
       END AS w,
       -- Month from which the partner has no more events: dormant partners
       -- stop at month 31 at the latest (none in the last 4 months, so none
       -- in the last 90 days); churned ones before their deactivation.
       CASE pl.role
           WHEN 'dormant' THEN pl.dormant_stop_m
           WHEN 'churned' THEN greatest(pl.appr_m + 2, pl.deact_m - almanac_demo.ui(pl.seed, 110, pl.id, 3)::integer)
           ELSE 36
       END AS stop_m,
       CASE WHEN pl.role = 'churned' THEN
           dm.ms + make_interval(days => 1 + almanac_demo.ui(pl.seed, 111, pl.id, 25)::integer,
                                 hours => 10 + almanac_demo.ui(pl.seed, 112, pl.id, 8)::integer,
                                 mins => almanac_demo.ui(pl.seed, 113, pl.id, 60)::integer)
       END AS deact_at,
       -- The same-month deactivation and reactivation (days 19 and 21).
       CASE WHEN pl.reactivated THEN
           rm.ms + make_interval(days => 19, hours => 11, mins => almanac_demo.ui(pl.seed, 114, pl.id, 50)::integer)
       END AS react_off_at,
       CASE WHEN pl.reactivated THEN
           rm.ms + make_interval(days => 21, hours => 15, mins => almanac_demo.ui(pl.seed, 115, pl.id, 50)::integer)
       END AS react_on_at,
       -- Target lifetime usage u = used / bought. Power 84..87 % (rule >= 80,
       -- and under 90 so that they keep > 10 % of their credits), active
       -- 58..75 %, occasional 30..45 %; low-credit partners (a third of the
       -- power partners) use 95 %.
       CASE
           WHEN pl.low_credit       THEN 0.95
           WHEN pl.big_buyer        THEN 0.10
           WHEN pl.role = 'power'   THEN 0.84 + 0.03 * almanac_demo.u(pl.seed, 116, pl.id)
           WHEN pl.role = 'active'  THEN 0.58 + 0.17 * almanac_demo.u(pl.seed, 116, pl.id)
           WHEN pl.role = 'dormant' THEN 0.55 + 0.20 * almanac_demo.u(pl.seed, 116, pl.id)
           WHEN pl.role = 'churned' THEN 0.40 + 0.15 * almanac_demo.u(pl.seed, 116, pl.id)
           ELSE                          0.30 + 0.15 * almanac_demo.u(pl.seed, 116, pl.id)
       END AS u_target,
       -- The band u must stay in: inside the segment, clear of the 80 %
       -- and 10 %-remaining lines (churned partners get half of what is left
       -- refunded, so they stay under 70 %).
       CASE
           WHEN pl.low_credit       THEN 0.91
           WHEN pl.big_buyer        THEN 0.01
           WHEN pl.role = 'power'   THEN 0.815
           WHEN pl.role = 'active'  THEN 0.55
           WHEN pl.role = 'dormant' THEN 0.40
           WHEN pl.role = 'churned' THEN 0.30
           ELSE                          0.05
       END AS u_lo,
       CASE
           WHEN pl.low_credit       THEN 0.98
           WHEN pl.role = 'power'   THEN 0.885
           WHEN pl.role = 'churned' THEN 0.70
           ELSE                          0.85
       END AS u_hi,
       -- Credits allocated to an event above what it used: 2..8 %.
       CASE WHEN pl.low_credit THEN 0.02 ELSE 0.02 + 0.06 * almanac_demo.u(pl.seed, 117, pl.id) END AS alloc_margin,
       CASE WHEN pl.big_buyer THEN 5000 ELSE 0 END AS min_stock,
       CASE pl.role WHEN 'power' THEN 1000 WHEN 'occasional' THEN 100 ELSE 500 END AS pack,
       -- Generations per event relative to the event type's mean.
       0.6 + 0.7 * almanac_demo.u(pl.seed, 118, pl.id) AS quality,
       CASE pl.role
           WHEN 'power'  THEN round((1500 + 1500 * almanac_demo.u(pl.seed, 119, pl.id)) / 50) * 50
           WHEN 'active' THEN round((500 + 1000 * almanac_demo.u(pl.seed, 119, pl.id)) / 50) * 50
           WHEN 'occasional' THEN
               CASE WHEN almanac_demo.u(pl.seed, 120, pl.id) < 0.3 THEN 0
                    ELSE round((100 + 300 * almanac_demo.u(pl.seed, 119, pl.id)) / 50) * 50 END
           ELSE round((150 + 450 * almanac_demo.u(pl.seed, 119, pl.id)) / 50) * 50
       END::numeric(14,2) AS contract0,
       CASE WHEN almanac_demo.u(pl.seed, 121, pl.id) < 0.05 THEN 2
            WHEN almanac_demo.u(pl.seed, 121, pl.id) < 0.25 THEN 1
            ELSE 0 END AS n_chg_wanted,
       'partner' || lpad(pl.id::text, 4, '0') || '@fotos.example' AS email,
       pl.role_rank AS rank_in_role
FROM planned pl
LEFT JOIN demo_month dm ON dm.m = pl.deact_m AND pl.role = 'churned'
LEFT JOIN demo_month rm ON rm.m = pl.appr_m + 2 + almanac_demo.ui(pl.seed, 122, pl.id, 30 - pl.appr_m)::integer
                       AND pl.reactivated;

-- The plan needs enough partners with the history each role asks for; fail
-- loudly rather than plant a lie.
DO $$
DECLARE
    bad integer;
BEGIN
    SELECT count(*) INTO bad FROM tmp_partner0
    WHERE (role = 'power' AND appr_m > 20)
       OR (role IN ('active', 'dormant') AND appr_m > 29)
       OR (role = 'churned' AND appr_m > 30);
    IF bad > 0 THEN
        RAISE EXCEPTION 'demo generator: % partners got a role their history cannot support', bad;
    END IF;
END
$$;

-- Names: prefix x place, unique for the first 500 partners. A few partners
-- carry hostile names that a spreadsheet would run as a formula, or that
-- need quoting in CSV.
CREATE TEMP TABLE tmp_hostile_partner ON COMMIT DROP AS
SELECT * FROM (VALUES
    (3,  '=HYPERLINK("http://x","y")'),
    (7,  '+1 555 0100 Fotografía'),
    (11, '@SUM(A1:A9) Estudio'),
    (15, '-2 credits Studio'),
    (19, 'Foto "El Rayo", S.L.'),
    (23, E'Estudio Línea 1\nLínea 2, Málaga'),
    (27, E'\tTabulador Estudio')
) AS h(id, name);

-- Names, the window of days in which the partner can hold events, contract
-- changes (upgrades mostly, some downgrades) and renames. Changes happen while
-- the partner is approved: after 60 days, before a deactivation, and never
-- inside the reactivated partner's two-day gap.
CREATE TEMP TABLE tmp_partner ON COMMIT DROP AS
SELECT t.*,
       coalesce(h.name, n.name0) AS name0,
       CASE WHEN ch.rename_at IS NULL THEN coalesce(h.name, n.name0) ELSE n.name1 END AS name_final,
       ch.rename_at,
       t.approved_at::date + 1 AS ev_lo,
       CASE WHEN t.stop_m >= 36 THEN p.d_end ELSE sm.ms_d END AS ev_hi,
       ch.chg1_at, v1.val AS chg1_val,
       ch.chg2_at, v2.val AS chg2_val,
       coalesce(v2.val, v1.val, t.contract0) AS contract_final
FROM tmp_partner0 t
CROSS JOIN demo_p p
LEFT JOIN tmp_hostile_partner h ON h.id = t.id
LEFT JOIN demo_month sm ON sm.m = t.stop_m
CROSS JOIN LATERAL (
    SELECT (almanac_demo.words('partner_prefix'))[1 + (t.id * 37 % 500) % 20] || ' '
           || (almanac_demo.words('place'))[1 + (t.id * 37 % 500) / 20]
           || CASE WHEN t.id > 500 THEN ' ' || (1 + (t.id - 1) / 500)::text ELSE '' END AS name0,
           (almanac_demo.words('partner_prefix'))[1 + ((t.id + 250) * 37 % 500) % 20] || ' '
           || (almanac_demo.words('place'))[1 + ((t.id + 250) * 37 % 500) / 20] || ' & Co.' AS name1
) n
CROSS JOIN LATERAL (
    SELECT t.approved_at + interval '60 days' AS lo,
           coalesce(t.deact_at, p.t_end) - interval '15 days' AS hi
) w
CROSS JOIN LATERAL (
    SELECT CASE WHEN t.n_chg_wanted >= 1 AND w.hi > w.lo
                THEN almanac_demo.clear_gap(date_trunc('second', w.lo + (w.hi - w.lo) * (0.10 + 0.35 * almanac_demo.u(t.seed, 124, t.id))),
                                            t.react_off_at, t.react_on_at) END AS chg1_at,
           CASE WHEN t.n_chg_wanted >= 2 AND w.hi > w.lo
                THEN almanac_demo.clear_gap(date_trunc('second', w.lo + (w.hi - w.lo) * (0.55 + 0.40 * almanac_demo.u(t.seed, 125, t.id))),
                                            t.react_off_at, t.react_on_at) END AS chg2_at,
           -- About 6 % of partners rename themselves once; history keeps the old name.
           CASE WHEN h.id IS NULL AND almanac_demo.u(t.seed, 123, t.id) < 0.06 AND w.hi > w.lo
                THEN almanac_demo.clear_gap(date_trunc('second', w.lo + (w.hi - w.lo) * (0.20 + 0.75 * almanac_demo.u(t.seed, 126, t.id))),
                                            t.react_off_at, t.react_on_at) END AS rename_at
) ch
CROSS JOIN LATERAL (
    SELECT CASE WHEN ch.chg1_at IS NOT NULL
                THEN almanac_demo.new_contract(t.contract0, almanac_demo.u(t.seed, 127, t.id)) END AS val
) v1
CROSS JOIN LATERAL (
    SELECT CASE WHEN ch.chg2_at IS NOT NULL
                THEN almanac_demo.new_contract(v1.val, almanac_demo.u(t.seed, 128, t.id)) END AS val
) v2;

ANALYZE tmp_partner;

INSERT INTO partners (id, name, email, status, contract_value_usd, created_at, approved_at,
                      deactivated_at, updated_at)
SELECT t.id, t.name_final, t.email,
       CASE WHEN t.role = 'churned' THEN 'deactivated' ELSE 'approved' END,
       t.contract_final, t.created_at, t.approved_at, t.deact_at,
       greatest(t.approved_at, t.chg1_at, t.chg2_at, t.rename_at, t.react_on_at, t.deact_at)
FROM tmp_partner t;

-- One history row per change. Values at a change time are those in force
-- then, so the latest row equals the partners row.
INSERT INTO partner_status_history (id, partner_id, changed_at, status, contract_value_usd, name, updated_at)
SELECT row_number() OVER (ORDER BY c.changed_at, c.partner_id, c.seq),
       c.partner_id, c.changed_at, c.status,
       CASE WHEN c.changed_at >= t.chg2_at THEN t.chg2_val
            WHEN c.changed_at >= t.chg1_at THEN t.chg1_val
            ELSE t.contract0 END,
       CASE WHEN c.changed_at >= t.rename_at THEN t.name_final ELSE t.name0 END,
       c.changed_at
FROM tmp_partner t
CROSS JOIN LATERAL (VALUES
    (1, t.id, t.created_at,   'pending'),
    (2, t.id, t.approved_at,  'approved'),
    (3, t.id, t.chg1_at,      'approved'),
    (4, t.id, t.chg2_at,      'approved'),
    (5, t.id, t.rename_at,    'approved'),
    (6, t.id, t.react_off_at, 'deactivated'),
    (7, t.id, t.react_on_at,  'approved'),
    (8, t.id, t.deact_at,     'deactivated')
) AS c(seq, partner_id, changed_at, status)
WHERE c.changed_at IS NOT NULL;

-- Applications: one approved application per partner, about a quarter as
-- many rejected ones, and a few pending at the end of history with known
-- ages (the seed asks for an answer within one hour).
CREATE TEMP TABLE tmp_application ON COMMIT DROP AS
SELECT t.name0 AS company_name, t.email AS contact_email, t.created_at AS submitted_at,
       'approved' AS status, t.approved_at AS decided_at, t.id::bigint AS partner_id,
       1 AS src, t.id::bigint AS k
FROM tmp_partner t
UNION ALL
SELECT almanac_demo.pick(almanac_demo.words('partner_prefix'), almanac_demo.u(p.seed, 130, k)) || ' '
       || almanac_demo.pick(almanac_demo.words('last'), almanac_demo.u(p.seed, 131, k)),
       'solicitud' || k || '@correo.example',
       s.submitted_at, 'rejected',
       s.submitted_at + make_interval(hours => 4 + almanac_demo.ui(p.seed, 132, k, 110)::integer),
       NULL, 2, k
FROM demo_p p
CROSS JOIN generate_series(1, greatest(5, round(0.25 * p.n_partners))::integer) AS k
CROSS JOIN LATERAL (
    SELECT p.t0 + interval '1 day'
           + date_trunc('second', (p.t_end - p.t0 - interval '8 days') * almanac_demo.u(p.seed, 133, k)) AS submitted_at
) s
UNION ALL
SELECT v.company_name, v.contact_email, p.t_end - v.age, 'pending', NULL, NULL, 3, v.k
FROM demo_p p
CROSS JOIN (VALUES
    (1, 'Fotografía Nueva Ñuñoa', 'hola@nueva-nunoa.example', interval '40 minutes'),
    (2, 'Studio Ωμέγα Θεσσαλονίκη', 'info@omega-studio.example', interval '5 hours 10 minutes'),
    (3, 'Atelier Zoë, Besançon', 'zoe@atelier-besancon.example', interval '30 hours'),
    (4, 'Łódź Wedding "Foto"', 'kontakt@lodz-foto.example', interval '4 days 2 hours')
) AS v(k, company_name, contact_email, age);

INSERT INTO partner_applications (id, company_name, contact_email, submitted_at, status,
                                  decided_at, partner_id, updated_at)
SELECT row_number() OVER (ORDER BY a.submitted_at, a.src, a.k),
       a.company_name, a.contact_email, a.submitted_at, a.status, a.decided_at, a.partner_id,
       coalesce(a.decided_at, a.submitted_at)
FROM tmp_application a;

-- API keys belong to partners; they appear in api_requests and are created
-- (activity_log 'api_key_created') a few days after the partner's approval.
-- Each key has its own client address.
CREATE TEMP TABLE tmp_key ON COMMIT DROP AS
SELECT k AS key_no,
       t.id AS partner_id,
       'ak_' || lpad(k::text, 4, '0') || substr(md5(p.seed::text || '/key/' || k), 1, 8) AS api_key,
       t.approved_at + make_interval(days => 1 + almanac_demo.ui(p.seed, 140, k, 10)::integer,
                                     hours => almanac_demo.ui(p.seed, 141, k, 8)::integer) AS created_at,
       almanac_demo.ipv4((160::bigint << 24) + k * 13) AS ip,
       t.email
FROM demo_p p
CROSS JOIN generate_series(1, 40 + p.n_partners / 2) AS k
JOIN tmp_partner t ON t.id = 1 + (k - 1) % p.n_partners;

ANALYZE tmp_key;

-- Truth -----------------------------------------------------------------------

INSERT INTO almanac_demo.truth (kind, subject, detail)
SELECT 'pending_application', a.id::text,
       jsonb_build_object('company_name', a.company_name,
                          'submitted_at', a.submitted_at,
                          'age_minutes_at_history_end', round(extract(epoch FROM p.t_end - a.submitted_at) / 60))
FROM partner_applications a, demo_p p
WHERE a.status = 'pending';

INSERT INTO almanac_demo.truth (kind, subject, detail)
SELECT 'partner_reactivated', t.id::text,
       jsonb_build_object('deactivated_at', t.react_off_at, 'reactivated_at', t.react_on_at,
                          'month', to_char(t.react_off_at, 'YYYY-MM'))
FROM tmp_partner t
WHERE t.reactivated;

INSERT INTO almanac_demo.truth (kind, subject, detail)
SELECT 'contract_change', t.id::text,
       jsonb_build_object('changed_at', c.at, 'old_usd', c.old, 'new_usd', c.new)
FROM tmp_partner t
CROSS JOIN LATERAL (VALUES (t.chg1_at, t.contract0, t.chg1_val),
                           (t.chg2_at, t.chg1_val, t.chg2_val)) AS c(at, old, new)
WHERE c.at IS NOT NULL;

-- Per month: approvals, deactivations (including the temporary one),
-- reactivations and approved, not deactivated partners at month end.
INSERT INTO almanac_demo.truth (kind, subject, detail)
SELECT 'partner_growth', mo.label,
       jsonb_build_object(
           'month', mo.label,
           'approved', (SELECT count(*) FROM tmp_partner t WHERE t.approved_at >= mo.ms AND t.approved_at < mo.me),
           'deactivated', (SELECT count(*) FROM tmp_partner t
                           WHERE (t.deact_at >= mo.ms AND t.deact_at < mo.me)
                              OR (t.react_off_at >= mo.ms AND t.react_off_at < mo.me)),
           'reactivated', (SELECT count(*) FROM tmp_partner t WHERE t.react_on_at >= mo.ms AND t.react_on_at < mo.me),
           'active_end', (SELECT count(*) FROM tmp_partner t
                          WHERE t.approved_at < mo.me AND (t.deact_at IS NULL OR t.deact_at >= mo.me))
       )
FROM demo_month mo;
