-- Adds "one more day" of source activity for the incremental benchmark:
-- copies of the last history day's rows of the big tables, one day later,
-- with new ids. updated_at takes its default (now()), as in the application.
-- Applied again, it adds the day after: "the last day" is the last day of
-- health checks before now, and a row copied before is skipped, not copied
-- onto an id it already took. Only rows of that one day are copied: the
-- demo's planted future-dated rows (which the ETL rejects by design) lie
-- beyond it. Until 2026-12-05 the day had no upper bound, so every
-- application copied all of them again: at scale 10, 8,500 of the 8,565
-- rejects of an incremental day were those copies (bad_timestamp), not the
-- day's own malformed rows; bounded, the same day rejects 65.
\set ON_ERROR_STOP on
CREATE TEMP TABLE bench_day AS
SELECT date_trunc('day', max(checked_at)) AS day_start FROM health_checks WHERE checked_at < now();

-- The copies are dated one day later: once that day reaches today they would
-- be in the future, and the ETL rejects those by design (bad_timestamp), so
-- the run would measure quarantine instead of a day. Stop instead.
DO $$
BEGIN
    IF (SELECT day_start + interval '2 days' FROM bench_day) > now() THEN
        RAISE EXCEPTION 'one_more_day.sql: the day it would add, %, is not over yet; build a fresh demo to add more days',
            (SELECT (day_start + interval '1 day')::date FROM bench_day);
    END IF;
END
$$;

INSERT INTO generations (id, event_id, b2c_user_id, style_id, status, credits, latency_ms,
                         created_at, deleted_at)
SELECT id + 1000000000, event_id, b2c_user_id, style_id, status, credits, latency_ms,
       created_at + interval '1 day', NULL
FROM generations, bench_day WHERE created_at >= day_start AND created_at < day_start + interval '1 day'
ON CONFLICT (id) DO NOTHING;

INSERT INTO api_requests (id, requested_at, method, endpoint, status_code, duration_ms, api_key, client_ip)
SELECT id + 1000000000, requested_at + interval '1 day', method, endpoint, status_code, duration_ms,
       api_key, client_ip
FROM api_requests, bench_day WHERE requested_at >= day_start AND requested_at < day_start + interval '1 day'
ON CONFLICT (id) DO NOTHING;

INSERT INTO health_checks (id, component, checked_at, status, response_ms)
SELECT id + 1000000000, component, checked_at + interval '1 day', status, response_ms
FROM health_checks, bench_day WHERE checked_at >= day_start AND checked_at < day_start + interval '1 day'
ON CONFLICT (id) DO NOTHING;

INSERT INTO activity_log (id, occurred_at, actor, actor_type, action, ip, details)
SELECT id + 1000000000, occurred_at + interval '1 day', actor, actor_type, action, ip, details
FROM activity_log, bench_day WHERE occurred_at >= day_start AND occurred_at < day_start + interval '1 day'
ON CONFLICT (id) DO NOTHING;

INSERT INTO credit_transactions (id, kind, partner_id, b2c_user_id, event_id, credits, amount_usd,
                                 pack_size, promo_code, actor, description, created_at)
SELECT id + 1000000000, kind, partner_id, b2c_user_id, event_id, credits, amount_usd, pack_size,
       promo_code, actor, description, created_at + interval '1 day'
FROM credit_transactions, bench_day WHERE created_at >= day_start AND created_at < day_start + interval '1 day'
ON CONFLICT (id) DO NOTHING;

INSERT INTO loyalty_transactions (id, brand_id, type, user_ref, perk_id, reward_id, usd_amount,
                                  rsnc_amount, tx_hash, metadata, created_at)
SELECT id + 1000000000, brand_id, type, user_ref, perk_id, reward_id, usd_amount, rsnc_amount,
       '0x' || md5(tx_hash || 'next') || md5(tx_hash), metadata, created_at + interval '1 day'
FROM loyalty_transactions, bench_day WHERE created_at >= day_start AND created_at < day_start + interval '1 day'
ON CONFLICT (id) DO NOTHING;

SELECT (SELECT count(*) FROM generations WHERE id > 1000000000)
     + (SELECT count(*) FROM api_requests WHERE id > 1000000000)
     + (SELECT count(*) FROM health_checks WHERE id > 1000000000)
     + (SELECT count(*) FROM activity_log WHERE id > 1000000000)
     + (SELECT count(*) FROM credit_transactions WHERE id > 1000000000)
     + (SELECT count(*) FROM loyalty_transactions WHERE id > 1000000000) AS new_rows;
