-- A tiny operational dataset, built by hand for the KPI edge cases. Loaded
-- into an EMPTY source database after schemas/source/001_operational.sql and
-- 002_keys_indexes.sql; test_kpi.py holds the hand-computed answers (with the
-- arithmetic) and checks `almanac kpi` and independent.sql against them.
--
-- Every fact is in August or October 2026, plus one B2C purchase at
-- 2026-11-01 05:30 UTC (= 2026-10-31 23:30 in America/Mexico_City, UTC-6 all
-- year since 2022). So:
--   2026-07  nothing at all (the month before the first data)
--   2026-08  the first month of data: every metric family has a value
--   2026-09  an empty month: no event, generation, request, check, movement
--   2026-10  partner 1 deactivated on the 10th and reactivated on the 20th;
--            partner 2 approved, never buys credits; no API requests
--   brand 2  buys RSNC but never distributes any
-- All rows are well-formed: the ETL must quarantine none of them.

BEGIN;

INSERT INTO styles (id, name, category, active, created_at) VALUES
    (1, 'Retrato Clásico', 'portrait', true, '2026-08-01 00:00+00'),
    (2, 'Dragón Épico',    'fantasy',  true, '2026-08-01 00:00+00');

INSERT INTO partners (id, name, email, status, contract_value_usd, created_at, approved_at, deactivated_at) VALUES
    (1, 'Alpha Fotos', 'alpha@fotos.example', 'approved', 100.00,
        '2026-08-01 09:00+00', '2026-08-02 10:00+00', NULL),
    (2, 'Beta Studio', 'beta@studio.example', 'approved', 50.00,
        '2026-10-05 09:00+00', '2026-10-05 12:00+00', NULL);

INSERT INTO partner_status_history (id, partner_id, changed_at, status, contract_value_usd, name) VALUES
    (1, 1, '2026-08-01 09:00+00', 'pending',     0.00,   'Alpha Fotos'),
    (2, 1, '2026-08-02 10:00+00', 'approved',    100.00, 'Alpha Fotos'),
    (3, 1, '2026-10-10 09:00+00', 'deactivated', 100.00, 'Alpha Fotos'),
    (4, 1, '2026-10-20 09:00+00', 'approved',    100.00, 'Alpha Fotos'),
    (5, 2, '2026-10-05 09:00+00', 'pending',     0.00,   'Beta Studio'),
    (6, 2, '2026-10-05 12:00+00', 'approved',    50.00,  'Beta Studio');

INSERT INTO partner_applications (id, company_name, contact_email, submitted_at, status, decided_at, partner_id) VALUES
    (1, 'Alpha Fotos', 'alpha@fotos.example', '2026-08-01 09:00+00', 'approved', '2026-08-02 10:00+00', 1),
    (2, 'Beta Studio', 'beta@studio.example', '2026-10-05 09:00+00', 'approved', '2026-10-05 12:00+00', 2);

INSERT INTO events (id, partner_id, name, slug, event_type, client_name, event_date, credits_allocated, created_at) VALUES
    (1, 1, 'Boda Ana y Luis',  'boda-ana-luis', 'wedding',   'Ana', '2026-08-20', 100, '2026-08-06 10:00+00'),
    (2, 1, 'Congreso Médico',  'congreso',      'corporate', 'SEM', '2026-10-15', 50,  '2026-10-01 12:00+00');

INSERT INTO b2c_users (id, email, display_name, country, created_at) VALUES
    (1, 'u1@mail.example', 'Zoë', 'ES', '2026-08-10 08:00+00');

-- Fantasy styles cost 2 credits an image, the others 1.
INSERT INTO generations (id, event_id, b2c_user_id, style_id, status, credits, latency_ms, created_at, deleted_at) VALUES
    (1, 1,    NULL, 1, 'completed', 1, 1000, '2026-08-20 18:00+00', NULL),
    (2, 1,    NULL, 1, 'completed', 1, 1100, '2026-08-20 19:00+00', NULL),
    (3, 1,    NULL, 2, 'completed', 2, 1200, '2026-08-20 20:00+00', NULL),
    (4, NULL, 1,    1, 'completed', 1, 900,  '2026-08-12 11:00+00', NULL),
    (5, 2,    NULL, 1, 'completed', 1, 1000, '2026-10-15 10:00+00', '2026-10-16 08:00+00'),
    (6, 2,    NULL, 1, 'completed', 1, 1000, '2026-10-15 11:00+00', NULL);

INSERT INTO credit_transactions (id, kind, partner_id, b2c_user_id, event_id, credits, amount_usd, pack_size, promo_code, actor, description, created_at) VALUES
    (1, 'purchase',     1,    NULL, NULL, 1000, 329.00, 1000, NULL,           'alpha@fotos.example', 'pack 1000', '2026-08-05 10:00+00'),
    (2, 'allocation',   1,    NULL, 1,    100,  NULL,   NULL, NULL,           'alpha@fotos.example', 'boda',      '2026-08-06 10:00+00'),
    (3, 'b2c_purchase', NULL, 1,    NULL, 10,   2.99,   10,   'BIENVENIDA20', 'u1@mail.example',     NULL,        '2026-08-12 10:30+00'),
    (4, 'consumption',  NULL, 1,    NULL, 1,    NULL,   NULL, NULL,           'system',              NULL,        '2026-08-12 23:00+00'),
    (5, 'consumption',  1,    NULL, 1,    4,    NULL,   NULL, NULL,           'system',              NULL,        '2026-08-20 23:00+00'),
    (6, 'allocation',   1,    NULL, 2,    50,   NULL,   NULL, NULL,           'alpha@fotos.example', 'congreso',  '2026-10-01 12:00+00'),
    (7, 'consumption',  1,    NULL, 2,    2,    NULL,   NULL, NULL,           'system',              NULL,        '2026-10-15 23:00+00'),
    -- 2026-10-31 23:30 in Mexico City: October there, November in UTC
    (8, 'b2c_purchase', NULL, 1,    NULL, 30,   7.99,   30,   NULL,           'u1@mail.example',     NULL,        '2026-11-01 05:30+00');

-- Three probe rounds on 2026-08-01: all up; api down; all up with storage slow.
INSERT INTO health_checks (id, component, checked_at, status, response_ms) VALUES
    (1,  'api',            '2026-08-01 00:00+00', 'up',   100),
    (2,  'database',       '2026-08-01 00:00+00', 'up',   100),
    (3,  'image_provider', '2026-08-01 00:00+00', 'up',   100),
    (4,  'storage',        '2026-08-01 00:00+00', 'up',   100),
    (5,  'api',            '2026-08-01 00:05+00', 'down', NULL),
    (6,  'database',       '2026-08-01 00:05+00', 'up',   100),
    (7,  'image_provider', '2026-08-01 00:05+00', 'up',   100),
    (8,  'storage',        '2026-08-01 00:05+00', 'up',   100),
    (9,  'api',            '2026-08-31 23:50+00', 'up',   100),
    (10, 'database',       '2026-08-31 23:50+00', 'up',   100),
    (11, 'image_provider', '2026-08-31 23:50+00', 'up',   100),
    (12, 'storage',        '2026-08-31 23:50+00', 'up',   6000);

-- API requests only in August.
INSERT INTO api_requests (id, requested_at, method, endpoint, status_code, duration_ms, api_key, client_ip) VALUES
    (1, '2026-08-03 12:00:00+00', 'GET',  '/v1/events',      200, 100, 'ak_000000000001', '198.51.100.7'),
    (2, '2026-08-03 12:00:01+00', 'GET',  '/v1/styles',      200, 200, 'ak_000000000001', '198.51.100.7'),
    (3, '2026-08-03 12:00:02+00', 'POST', '/v1/generations', 503, 300, 'ak_000000000001', '198.51.100.7'),
    (4, '2026-08-03 12:00:03+00', 'GET',  '/v1/health',      200, 400, NULL,              '198.51.100.8');

INSERT INTO activity_log (id, occurred_at, actor, actor_type, action, ip, details) VALUES
    (1, '2026-08-10 08:00+00', 'u1@mail.example', 'b2c_user', 'b2c_signup', '198.51.100.9',
        '{"country": "ES", "device": "web"}');

-- Session 1 ended after 300 s and reached `generate`; session 2 never ended.
INSERT INTO sessions (id, b2c_user_id, started_at, ended_at, device) VALUES
    (1, 1, '2026-08-12 10:50+00', '2026-08-12 10:55+00', 'web'),
    (2, 1, '2026-08-12 20:00+00', NULL,                  'ios');

INSERT INTO session_steps (id, session_id, step, occurred_at) VALUES
    (1, 1, 'upload',   '2026-08-12 10:51+00'),
    (2, 1, 'style',    '2026-08-12 10:52+00'),
    (3, 1, 'generate', '2026-08-12 10:53+00'),
    (4, 2, 'upload',   '2026-08-12 20:01+00');

INSERT INTO loyalty_brands (id, name, created_at) VALUES
    (1, 'Café Sol',    '2026-08-01 00:00+00'),
    (2, 'Libros Luna', '2026-08-01 00:00+00');

INSERT INTO loyalty_rewards (id, brand_id, name, rsnc_amount, active, created_at, deactivated_at) VALUES
    (1, 1, 'Compra en tienda', 100, true,  '2026-08-01 00:00+00', NULL),
    (2, 2, 'Visita',           50,  false, '2026-08-01 00:00+00', '2026-08-15 00:00+00');

INSERT INTO loyalty_perks (id, brand_id, name, price_rsnc, value_usd, total_supply, active, created_at) VALUES
    (1, 1, 'Café gratis', 200, 5.00, 10, true, '2026-08-01 00:00+00');

INSERT INTO loyalty_transactions (id, brand_id, type, user_ref, perk_id, reward_id, usd_amount, rsnc_amount, tx_hash, metadata, created_at) VALUES
    (1, 1, 'purchase',     NULL,    NULL, NULL, 100.00, 10000,
        '0x' || repeat('a1', 32), '{"payment": "card", "invoice": "F-1"}', '2026-08-01 12:00+00'),
    (2, 2, 'purchase',     NULL,    NULL, NULL, 50.00,  5000,
        '0x' || repeat('a2', 32), '{"payment": "card", "invoice": "F-2"}', '2026-08-02 12:00+00'),
    (3, 1, 'distribution', 'mbr_1', NULL, 1,    NULL,   500,
        '0x' || repeat('a3', 32), '{"channel": "pos", "store": "S1", "order_id": "O-1"}', '2026-08-03 12:00+00'),
    (4, 1, 'distribution', 'mbr_2', NULL, 1,    NULL,   300,
        '0x' || repeat('a4', 32), '{"channel": "app", "store": "S1", "order_id": "O-2"}', '2026-08-04 12:00+00'),
    (5, 1, 'perk_claim',   'mbr_1', 1,    NULL, 5.00,   200,
        '0x' || repeat('a5', 32), '{"perk": "Café gratis", "redemption_code": "R-1", "channel": "app"}', '2026-08-10 10:15+00');

COMMIT;
