-- Demo data, step 9: the activity log (audit trail).
--
-- Actions written (docs/source-schema.md lists them with their `details`):
-- partner_application_submitted, partner_approved, partner_rejected,
-- partner_deactivated, partner_reactivated, partner_contract_changed,
-- partner_renamed, login, login_failed, logout, b2c_signup, event_created,
-- generation_deleted, api_key_created, credits_purchased, data_export,
-- db_connection_failed.
--
-- Background failed logins never form a burst: every actor has an address of
-- its own, a login is preceded by at most two failures, and one actor's
-- logins are at least an hour apart. Planted:
--   * two failed-login bursts ('failed_login_burst'): 7 failures for one
--     partner account from three addresses in 8 minutes, and 12 failures for
--     12 accounts from one address in 11 minutes;
--   * the bulk deletion of 060_generations.sql shows up here as about 170
--     generation_deleted rows by one partner within an hour ('bulk_deletion');
--   * bulk data exports by an administrator ('bulk_export');
--   * a database connection failure, at the isolated database down check
--     ('db_connection_failure').

CREATE TEMP TABLE tmp_admin ON COMMIT DROP AS
SELECT * FROM (VALUES
    (1, 'admin.lucia@almanac.example', '10.0.0.11'),
    (2, 'admin.jorge@almanac.example', '10.0.0.12'),
    (3, 'ops.zoe@almanac.example', '10.0.0.13'),
    (4, 'soporte.inaki@almanac.example', '10.0.0.14')
) AS a(no, email, ip);

CREATE TEMP TABLE tmp_al (
    occurred_at timestamptz,
    actor       text,
    actor_type  text,
    action      text,
    ip          text,
    details     text,
    src         integer,   -- tie-breakers for a total order
    k           bigint
) ON COMMIT DROP;

-- Partner lifecycle ----------------------------------------------------------

INSERT INTO tmp_al
SELECT a.submitted_at, a.contact_email, 'partner', 'partner_application_submitted',
       coalesce(almanac_demo.ipv4((81::bigint << 24) + a.partner_id * 7919),
                almanac_demo.ipv4((100::bigint << 24) + (64::bigint << 16) + a.id)),
       json_build_object('application_id', a.id, 'company_name', a.company_name)::text,
       1, a.id
FROM partner_applications a;

INSERT INTO tmp_al
SELECT a.decided_at, ad.email, 'admin',
       CASE a.status WHEN 'approved' THEN 'partner_approved' ELSE 'partner_rejected' END,
       ad.ip,
       json_build_object('application_id', a.id, 'partner_id', a.partner_id)::text,
       2, a.id
FROM partner_applications a
CROSS JOIN demo_p p
JOIN tmp_admin ad ON ad.no = 1 + almanac_demo.ui(p.seed, 700, a.id, 4)
WHERE a.decided_at IS NOT NULL;

INSERT INTO tmp_al
SELECT c.at, CASE WHEN c.action = 'partner_renamed' THEN t.email ELSE ad.email END,
       CASE WHEN c.action = 'partner_renamed' THEN 'partner' ELSE 'admin' END,
       c.action,
       CASE WHEN c.action = 'partner_renamed' THEN almanac_demo.ipv4((81::bigint << 24) + t.id * 7919) ELSE ad.ip END,
       c.details, 3, t.id * 10 + c.no
FROM tmp_partner t
CROSS JOIN demo_p p
JOIN tmp_admin ad ON ad.no = 1 + almanac_demo.ui(p.seed, 701, t.id, 4)
CROSS JOIN LATERAL (VALUES
    (1, t.chg1_at, 'partner_contract_changed',
     json_build_object('partner_id', t.id, 'old_usd', t.contract0, 'new_usd', t.chg1_val)::text),
    (2, t.chg2_at, 'partner_contract_changed',
     json_build_object('partner_id', t.id, 'old_usd', t.chg1_val, 'new_usd', t.chg2_val)::text),
    (3, t.rename_at, 'partner_renamed',
     json_build_object('partner_id', t.id, 'old_name', t.name0, 'new_name', t.name_final)::text),
    (4, t.react_off_at, 'partner_deactivated',
     json_build_object('partner_id', t.id, 'reason', 'payment_overdue')::text),
    (5, t.react_on_at, 'partner_reactivated',
     json_build_object('partner_id', t.id, 'reason', 'payment_received')::text),
    (6, t.deact_at, 'partner_deactivated',
     json_build_object('partner_id', t.id, 'reason', 'inactive')::text)
) AS c(no, at, action, details)
WHERE c.at IS NOT NULL;

-- Logins ---------------------------------------------------------------------

-- Partners log in on up to three different days a week, between 8 and 19 h;
-- how often depends on their role (and stops when they leave).
CREATE TEMP TABLE tmp_login ON COMMIT DROP AS
SELECT t.email AS actor, 'partner' AS actor_type,
       almanac_demo.ipv4((81::bigint << 24) + t.id * 7919) AS ip,
       x.at, t.id * 1000 + wg.wn * 4 + i AS k
FROM tmp_partner t
CROSS JOIN demo_p p
CROSS JOIN LATERAL generate_series(ceil(extract(epoch FROM t.approved_at - p.t0) / 604800)::integer, 156) AS wg(wn)
CROSS JOIN LATERAL (
    SELECT least(3, floor(
               CASE t.role
                   WHEN 'power' THEN 2.5 WHEN 'active' THEN 1.8 WHEN 'occasional' THEN 0.6
                   ELSE CASE WHEN p.t0 + make_interval(days => 7 * wg.wn) < (SELECT ms FROM demo_month WHERE m = least(t.stop_m, 35))
                                  OR t.stop_m >= 36
                             THEN 1.2 ELSE 0.15 END
               END + almanac_demo.u(p.seed, 702, t.id * 1000 + wg.wn)))::integer AS n,
           almanac_demo.ui(p.seed, 703, t.id * 1000 + wg.wn, 7)::integer AS d0
) wk
CROSS JOIN LATERAL generate_series(1, wk.n) AS i
CROSS JOIN LATERAL (
    SELECT p.t0 + make_interval(days => 7 * wg.wn + (wk.d0 + 2 * (i - 1)) % 7,
                                hours => 8 + almanac_demo.ui(p.seed, 704, t.id * 1000 + wg.wn * 4 + i, 11)::integer,
                                mins => almanac_demo.ui(p.seed, 705, t.id * 1000 + wg.wn * 4 + i, 60)::integer,
                                secs => almanac_demo.ui(p.seed, 706, t.id * 1000 + wg.wn * 4 + i, 60)) AS at
) x
WHERE x.at > t.approved_at AND x.at < least(p.t_end, t.deact_at)
  AND (t.react_off_at IS NULL OR NOT (x.at >= t.react_off_at AND x.at < t.react_on_at));

-- Administrators log in every weekday morning.
INSERT INTO tmp_login
SELECT ad.email, 'admin', ad.ip,
       (d + time '08:00')::timestamptz + make_interval(mins => almanac_demo.ui(p.seed, 707, ad.no * 10000 + (d - p.d0), 120)::integer,
                                                         secs => almanac_demo.ui(p.seed, 708, ad.no * 10000 + (d - p.d0), 60)),
       100000000 + ad.no * 10000 + (d - p.d0)
FROM tmp_admin ad
CROSS JOIN demo_p p
CROSS JOIN generate_series(p.d0, p.d_end - 1, interval '1 day') AS g(d0)
CROSS JOIN LATERAL (SELECT g.d0::date AS d) dd
WHERE extract(isodow FROM d) <= 5;

-- B2C users log in at the start of about 40 % of their later sessions.
INSERT INTO tmp_login
SELECT u.email, 'b2c_user', u.ip, s.started_at - interval '5 seconds', 200000000 + s.id
FROM tmp_session s
JOIN tmp_user u ON u.id = s.user_id
CROSS JOIN demo_p p
WHERE s.k > 1 AND almanac_demo.u(p.seed, 709, s.id) < 0.4;

-- Each login: up to two failed attempts just before it (B2C users at most
-- one), and often a logout later.
INSERT INTO tmp_al
SELECT l.at, l.actor, l.actor_type, 'login', l.ip,
       json_build_object('method', 'password',
                         'user_agent', almanac_demo.pick(ARRAY['Mozilla/5.0 (Windows NT 10.0)', 'Mozilla/5.0 (Macintosh)',
                                                               'Almanac-iOS/4.2', 'Almanac-Android/4.1'],
                                                         almanac_demo.u(p.seed, 710, l.k)))::text,
       10, l.k * 4
FROM tmp_login l CROSS JOIN demo_p p;

INSERT INTO tmp_al
SELECT l.at - make_interval(secs => 25 * f + almanac_demo.ui(p.seed, 712, l.k * 4 + f, 20)), l.actor, l.actor_type,
       'login_failed', l.ip,
       json_build_object('reason', 'invalid_password', 'attempt', nf.n - f + 1)::text,
       10, l.k * 4 + f
FROM tmp_login l
CROSS JOIN demo_p p
CROSS JOIN LATERAL (
    SELECT CASE WHEN almanac_demo.u(p.seed, 711, l.k) < 0.03 THEN 1
                WHEN almanac_demo.u(p.seed, 711, l.k) < 0.037 AND l.actor_type <> 'b2c_user' THEN 2
                ELSE 0 END AS n
) nf
CROSS JOIN LATERAL generate_series(1, nf.n) AS f;

INSERT INTO tmp_al
SELECT l.at + make_interval(mins => m.minutes), l.actor, l.actor_type, 'logout', l.ip,
       json_build_object('session_minutes', m.minutes)::text,
       10, l.k * 4 + 3
FROM tmp_login l
CROSS JOIN demo_p p
CROSS JOIN LATERAL (SELECT 20 + almanac_demo.ui(p.seed, 713, l.k, 100)::integer AS minutes) m
WHERE l.actor_type <> 'b2c_user' AND almanac_demo.u(p.seed, 714, l.k) < 0.6
  AND l.at + make_interval(mins => m.minutes) < p.t_end;

INSERT INTO tmp_al
SELECT u.created_at, u.email, 'b2c_user', 'b2c_signup', u.ip,
       json_build_object('country', u.country, 'device', u.device)::text,
       11, u.id
FROM tmp_user u;

-- What partners and users do ---------------------------------------------------

INSERT INTO tmp_al
SELECT e.created_at, e.email, 'partner', 'event_created',
       almanac_demo.ipv4((81::bigint << 24) + e.partner_id * 7919),
       json_build_object('event_id', e.id, 'slug', e.slug, 'event_type', e.event_type)::text,
       12, e.id
FROM tmp_event e;

-- One row per deleted image, by whoever owns it (the partner for event
-- images). The bulk deletion is among them.
INSERT INTO tmp_al
SELECT g.deleted_at,
       coalesce(e.email, u.email),
       CASE WHEN g.event_id IS NOT NULL THEN 'partner' ELSE 'b2c_user' END,
       'generation_deleted',
       coalesce(almanac_demo.ipv4((81::bigint << 24) + e.partner_id * 7919), u.ip),
       CASE WHEN g.event_id IS NOT NULL
            THEN json_build_object('generation_id', g.id, 'event_id', g.event_id)
            ELSE json_build_object('generation_id', g.id, 'b2c_user_id', g.b2c_user_id) END::text,
       13, g.id
FROM generations g
LEFT JOIN tmp_event e ON e.id = g.event_id
LEFT JOIN tmp_user u ON u.id = g.b2c_user_id
WHERE g.deleted_at IS NOT NULL;

INSERT INTO tmp_al
SELECT k.created_at, k.email, 'partner', 'api_key_created',
       almanac_demo.ipv4((81::bigint << 24) + k.partner_id * 7919),
       json_build_object('api_key', k.api_key, 'scopes', 'events,generations')::text,
       14, k.key_no
FROM tmp_key k
CROSS JOIN demo_p p
WHERE k.created_at < p.t_end;

INSERT INTO tmp_al
SELECT c.created_at, c.actor,
       CASE WHEN c.partner_id IS NOT NULL THEN 'partner' ELSE 'b2c_user' END,
       'credits_purchased',
       coalesce(almanac_demo.ipv4((81::bigint << 24) + c.partner_id * 7919), u.ip),
       json_build_object('transaction_id', c.id, 'credits', c.credits, 'amount_usd', c.amount_usd,
                         'promo_code', c.promo_code)::text,
       15, c.id
FROM credit_transactions c
LEFT JOIN tmp_user u ON u.id = c.b2c_user_id
WHERE c.kind IN ('purchase', 'b2c_purchase');

-- Planted --------------------------------------------------------------------

-- Bulk data exports by an administrator (one at an odd hour).
INSERT INTO tmp_al
SELECT x.at, ad.email, 'admin', 'data_export', ad.ip,
       json_build_object('export', x.export, 'format', x.format, 'rows', x.rows)::text,
       20, x.no
FROM demo_month lm
CROSS JOIN tmp_admin ad
CROSS JOIN LATERAL (VALUES
    (1, lm.ms - interval '3 months' + interval '11 days 11 hours', 'generations', 'csv',
     (SELECT count(*) FROM generations)),
    (2, lm.ms + interval '2 days 09:15', 'partners', 'csv', (SELECT count(*) FROM partners)),
    (3, lm.ms + interval '18 days 23:50', 'credit_transactions', 'xlsx',
     (SELECT count(*) FROM credit_transactions))
) AS x(no, at, export, format, rows)
WHERE lm.m = 35 AND ad.no = 2;

-- The application cannot reach the database, at the isolated down check.
INSERT INTO tmp_al
SELECT d.start_at - interval '20 seconds', 'system', 'system', 'db_connection_failed', '10.0.0.5',
       json_build_object('component', 'database', 'host', 'db-primary.internal', 'port', 5432,
                         'error', 'could not connect to server: Connection refused', 'retries', 3)::text,
       21, 1
FROM tmp_down d
WHERE d.kind = 'isolated' AND d.component = 'database';

-- Failed-login bursts: one account attacked from three addresses; one
-- address trying many accounts (credential stuffing). At night, when no
-- background login of these actors happens.
CREATE TEMP TABLE tmp_burst ON COMMIT DROP AS
SELECT 1 AS no, 'account' AS by, t.email AS actor, 'partner' AS actor_type,
       '198.51.100.' || (10 + i % 3) AS ip,
       lm.ms + make_interval(days => 8 + almanac_demo.ui(p.seed, 720, 1, 3)::integer, hours => 4, mins => 12)
           + make_interval(secs => 75 * i) AS at,
       json_build_object('reason', 'invalid_password', 'attempt', i + 1)::text AS details, i
FROM tmp_partner t
CROSS JOIN demo_p p
JOIN demo_month lm ON lm.m = 35
CROSS JOIN generate_series(0, 6) AS i
WHERE t.role = 'power' AND t.rank_in_role = 1
UNION ALL
SELECT 2, 'ip', coalesce(u.email, 'admin@almanac.example'),
       CASE WHEN u.email IS NULL THEN 'admin' ELSE 'b2c_user' END,
       '203.0.113.45',
       lm.ms + make_interval(days => 19 + almanac_demo.ui(p.seed, 720, 2, 3)::integer, hours => 3, mins => 30)
           + make_interval(secs => 55 * i),
       json_build_object('reason', CASE WHEN u.email IS NULL THEN 'unknown_account' ELSE 'invalid_password' END,
                         'attempt', 1)::text,
       i
FROM demo_p p
JOIN demo_month lm ON lm.m = 35
CROSS JOIN generate_series(0, 11) AS i
LEFT JOIN tmp_user u ON u.id = 1 + i * 13 AND i < 11;

INSERT INTO tmp_al
SELECT b.at, b.actor, b.actor_type, 'login_failed', b.ip, b.details, 22, b.no * 100 + b.i
FROM tmp_burst b;

INSERT INTO activity_log (id, occurred_at, actor, actor_type, action, ip, details, updated_at)
SELECT row_number() OVER (ORDER BY a.occurred_at, a.src, a.k),
       a.occurred_at, a.actor, a.actor_type, a.action, a.ip, a.details, a.occurred_at
FROM tmp_al a;

-- Truth ------------------------------------------------------------------------

INSERT INTO almanac_demo.truth (kind, subject, detail)
SELECT 'failed_login_burst',
       CASE b.by WHEN 'account' THEN 'account:' || min(b.actor) ELSE 'ip:' || min(b.ip) END,
       jsonb_build_object('by', b.by,
                          'account', CASE WHEN b.by = 'account' THEN min(b.actor) END,
                          'ip', CASE WHEN b.by = 'ip' THEN min(b.ip) END,
                          'start', min(b.at), 'end', max(b.at), 'count', count(*))
FROM tmp_burst b
GROUP BY b.no, b.by;

INSERT INTO almanac_demo.truth (kind, subject, detail)
SELECT 'bulk_export', a.id::text,
       jsonb_build_object('activity_id', a.id, 'actor', a.actor, 'occurred_at', a.occurred_at)
           || (a.details::jsonb)
FROM activity_log a
WHERE a.action = 'data_export';

INSERT INTO almanac_demo.truth (kind, subject, detail)
SELECT 'db_connection_failure', a.id::text,
       jsonb_build_object('activity_id', a.id, 'occurred_at', a.occurred_at)
           || (a.details::jsonb)
FROM activity_log a
WHERE a.action = 'db_connection_failed';
