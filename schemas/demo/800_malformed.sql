-- Demo data, step 11: malformed rows, the kind the extractor must
-- quarantine.
--
-- About 0.1 % of each fact table, and at least two rows per reason and
-- table even at the smallest scale. Each malformed row is a copy of a
-- well-formed row with one thing broken, and gets a new id after the
-- table's last one. Being extra rows, they never change the numbers of the
-- well-formed data (a malformed generation is not in any consumption row, a
-- malformed login is never a failed login of a burst). Reason codes:
--   unknown_enum      a status, type, kind, actor_type, method or step outside
--                     its list
--   bad_json          details / metadata that is not valid JSON
--   negative_amount   credits, amount_usd, rsnc_amount, credits_allocated
--                     or duration_ms below 0
--   orphan_reference  an id that points to no row
--   missing_required  a required column is NULL
--   bad_timestamp     a date in the year 2099
-- Every row is listed in almanac_demo.truth (kind 'malformed').

CREATE TEMP TABLE tmp_bad (
    tbl    text,
    no     integer,   -- 1.. within the table
    reason text,
    src_id bigint     -- the well-formed row copied
) ON COMMIT DROP;

-- Picks n template rows per table by hash order among the eligible ones and
-- cycles through the table's reasons.
CREATE OR REPLACE FUNCTION pg_temp.plan_bad(tbl text, reasons text[], eligible bigint[], n integer) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO tmp_bad (tbl, no, reason, src_id)
    SELECT tbl, x.no, reasons[1 + (x.no - 1) % cardinality(reasons)], x.id
    FROM (SELECT row_number() OVER (ORDER BY e.ord) AS no, e.id
          FROM unnest(eligible) WITH ORDINALITY AS e(id, ord)) x
    WHERE x.no <= n;
$$;

-- Size and last id of each table (generations: ids 1..n, known from the
-- plan without a scan), and how many malformed rows it gets.
CREATE TEMP TABLE tmp_bad_base ON COMMIT DROP AS
SELECT x.tbl, x.n, x.base, greatest(x.min_bad, round(x.share * x.n))::integer AS n_bad
FROM (
    SELECT 'generations' AS tbl, sum(n) AS n, sum(n) AS base, 10 AS min_bad, 0.001 AS share FROM tmp_gen_block
    UNION ALL SELECT 'events', count(*), max(id), 10, 0.001 FROM events
    UNION ALL SELECT 'credit_transactions', count(*), max(id), 10, 0.001 FROM credit_transactions
    UNION ALL SELECT 'activity_log', count(*), max(id), 8, 0.001 FROM activity_log
    UNION ALL SELECT 'loyalty_transactions', count(*), max(id), 12, 0.001 FROM loyalty_transactions
    UNION ALL SELECT 'api_requests', count(*), max(id), 8, 0.001 FROM api_requests
    UNION ALL SELECT 'session_steps', count(*), max(id), 4, 0.0002 FROM session_steps
) x;

-- Candidates: rows whose id falls on a stride giving about ten times the
-- rows needed (a cheap filter in one scan), then the first n in hash order.
SELECT pg_temp.plan_bad('generations',
    ARRAY['unknown_enum', 'negative_amount', 'orphan_reference', 'missing_required', 'bad_timestamp'],
    (SELECT array_agg(g.id ORDER BY almanac_demo.u(p.seed, 900, g.id), g.id)
     FROM generations g CROSS JOIN demo_p p
     WHERE g.id % (SELECT greatest(1, n / (10 * n_bad)) FROM tmp_bad_base WHERE tbl = 'generations') = 0 AND g.status = 'completed'),
    (SELECT n_bad FROM tmp_bad_base WHERE tbl = 'generations'));

SELECT pg_temp.plan_bad('events',
    ARRAY['unknown_enum', 'negative_amount', 'orphan_reference', 'missing_required', 'bad_timestamp'],
    (SELECT array_agg(e.id ORDER BY almanac_demo.u(p.seed, 901, e.id), e.id)
     FROM events e CROSS JOIN demo_p p
     WHERE e.id % (SELECT greatest(1, n / (10 * n_bad)) FROM tmp_bad_base WHERE tbl = 'events') = 0),
    (SELECT n_bad FROM tmp_bad_base WHERE tbl = 'events'));

SELECT pg_temp.plan_bad('credit_transactions',
    ARRAY['unknown_enum', 'negative_amount', 'orphan_reference', 'missing_required', 'bad_timestamp'],
    (SELECT array_agg(c.id ORDER BY almanac_demo.u(p.seed, 902, c.id), c.id)
     FROM credit_transactions c CROSS JOIN demo_p p
     WHERE c.id % (SELECT greatest(1, n / (10 * n_bad)) FROM tmp_bad_base WHERE tbl = 'credit_transactions') = 0
       AND c.kind IN ('consumption', 'allocation', 'purchase', 'b2c_purchase')),
    (SELECT n_bad FROM tmp_bad_base WHERE tbl = 'credit_transactions'));

-- Only rows that no alert counts (not failed logins, deletions, exports).
SELECT pg_temp.plan_bad('activity_log',
    ARRAY['unknown_enum', 'bad_json', 'missing_required', 'bad_timestamp'],
    (SELECT array_agg(a.id ORDER BY almanac_demo.u(p.seed, 903, a.id), a.id)
     FROM activity_log a CROSS JOIN demo_p p
     WHERE a.id % (SELECT greatest(1, n / (10 * n_bad)) FROM tmp_bad_base WHERE tbl = 'activity_log') = 0
       AND a.action IN ('login', 'logout', 'event_created', 'credits_purchased')),
    (SELECT n_bad FROM tmp_bad_base WHERE tbl = 'activity_log'));

SELECT pg_temp.plan_bad('loyalty_transactions',
    ARRAY['unknown_enum', 'bad_json', 'negative_amount', 'orphan_reference', 'missing_required', 'bad_timestamp'],
    (SELECT array_agg(t.id ORDER BY almanac_demo.u(p.seed, 904, t.id), t.id)
     FROM loyalty_transactions t CROSS JOIN demo_p p
     WHERE t.id % (SELECT greatest(1, n / (10 * n_bad)) FROM tmp_bad_base WHERE tbl = 'loyalty_transactions') = 0
       AND t.type IN ('distribution', 'perk_claim')),
    (SELECT n_bad FROM tmp_bad_base WHERE tbl = 'loyalty_transactions'));

-- Plain successful requests away from the planted error buckets.
SELECT pg_temp.plan_bad('api_requests',
    ARRAY['unknown_enum', 'negative_amount', 'missing_required', 'bad_timestamp'],
    (SELECT array_agg(a.id ORDER BY almanac_demo.u(p.seed, 905, a.id), a.id)
     FROM api_requests a CROSS JOIN demo_p p
     WHERE a.id % (SELECT greatest(1, n / (10 * n_bad)) FROM tmp_bad_base WHERE tbl = 'api_requests') = 0 AND a.status_code = 200
       AND NOT EXISTS (SELECT 1 FROM tmp_spike s
                       WHERE a.requested_at >= s.bucket_start - interval '5 minutes'
                         AND a.requested_at < s.bucket_start + interval '10 minutes')),
    (SELECT n_bad FROM tmp_bad_base WHERE tbl = 'api_requests'));

SELECT pg_temp.plan_bad('session_steps',
    ARRAY['unknown_enum', 'orphan_reference'],
    (SELECT array_agg(s.id ORDER BY almanac_demo.u(p.seed, 906, s.id), s.id)
     FROM session_steps s CROSS JOIN demo_p p
     WHERE s.id % (SELECT greatest(1, n / (10 * n_bad)) FROM tmp_bad_base WHERE tbl = 'session_steps') = 0),
    (SELECT n_bad FROM tmp_bad_base WHERE tbl = 'session_steps'));

ANALYZE tmp_bad;

-- Generations.
INSERT INTO generations (id, event_id, b2c_user_id, style_id, status, credits, latency_ms,
                         created_at, deleted_at, updated_at)
SELECT mx.base + b.no, g.event_id, g.b2c_user_id,
       CASE WHEN b.reason = 'orphan_reference' THEN 900000000 + b.no ELSE g.style_id END,
       CASE WHEN b.reason = 'unknown_enum' THEN 'pending_review' ELSE g.status END,
       CASE WHEN b.reason = 'negative_amount' THEN -g.credits - 1 ELSE g.credits END,
       g.latency_ms,
       CASE b.reason WHEN 'missing_required' THEN NULL
                     WHEN 'bad_timestamp' THEN g.created_at + make_interval(years => 2099 - extract(year FROM g.created_at)::integer)
                     ELSE g.created_at END,
       NULL, g.created_at
FROM tmp_bad b
JOIN generations g ON g.id = b.src_id
JOIN tmp_bad_base mx ON mx.tbl = b.tbl
WHERE b.tbl = 'generations';

INSERT INTO events (id, partner_id, name, slug, event_type, client_name, event_date,
                    credits_allocated, created_at, updated_at)
SELECT mx.base + b.no,
       CASE WHEN b.reason = 'orphan_reference' THEN 900000000 + b.no ELSE e.partner_id END,
       e.name, e.slug || '-x' || b.no,
       CASE WHEN b.reason = 'unknown_enum' THEN 'birthday' ELSE e.event_type END,
       e.client_name,
       CASE b.reason WHEN 'missing_required' THEN NULL
                     WHEN 'bad_timestamp' THEN make_date(2099, extract(month FROM e.event_date)::integer, 1)
                     ELSE e.event_date END,
       CASE WHEN b.reason = 'negative_amount' THEN -e.credits_allocated - 1 ELSE e.credits_allocated END,
       e.created_at, e.updated_at
FROM tmp_bad b
JOIN events e ON e.id = b.src_id
JOIN tmp_bad_base mx ON mx.tbl = b.tbl
WHERE b.tbl = 'events';

INSERT INTO credit_transactions (id, kind, partner_id, b2c_user_id, event_id, credits, amount_usd,
                                 pack_size, promo_code, actor, description, created_at, updated_at)
SELECT mx.base + b.no,
       CASE WHEN b.reason = 'unknown_enum' THEN 'airdrop' ELSE c.kind END,
       CASE WHEN b.reason = 'orphan_reference' AND c.event_id IS NULL AND c.partner_id IS NOT NULL
            THEN 900000000 + b.no ELSE c.partner_id END,
       CASE WHEN b.reason = 'orphan_reference' AND c.b2c_user_id IS NOT NULL
            THEN 900000000 + b.no ELSE c.b2c_user_id END,
       CASE WHEN b.reason = 'orphan_reference' AND c.event_id IS NOT NULL
            THEN 900000000 + b.no ELSE c.event_id END,
       CASE WHEN b.reason = 'negative_amount' AND c.amount_usd IS NULL THEN -c.credits - 1 ELSE c.credits END,
       CASE WHEN b.reason = 'negative_amount' AND c.amount_usd IS NOT NULL THEN -c.amount_usd ELSE c.amount_usd END,
       c.pack_size, c.promo_code, c.actor, c.description,
       CASE b.reason WHEN 'missing_required' THEN NULL
                     WHEN 'bad_timestamp' THEN c.created_at + make_interval(years => 2099 - extract(year FROM c.created_at)::integer)
                     ELSE c.created_at END,
       c.updated_at
FROM tmp_bad b
JOIN credit_transactions c ON c.id = b.src_id
JOIN tmp_bad_base mx ON mx.tbl = b.tbl
WHERE b.tbl = 'credit_transactions';

INSERT INTO activity_log (id, occurred_at, actor, actor_type, action, ip, details, updated_at)
SELECT mx.base + b.no,
       CASE b.reason WHEN 'missing_required' THEN NULL
                     WHEN 'bad_timestamp' THEN a.occurred_at + make_interval(years => 2099 - extract(year FROM a.occurred_at)::integer)
                     ELSE a.occurred_at END,
       a.actor,
       -- (action is open text; actor_type is the enumerated column)
       CASE WHEN b.reason = 'unknown_enum' THEN 'robot' ELSE a.actor_type END,
       a.action,
       a.ip,
       CASE WHEN b.reason <> 'bad_json' THEN a.details
            WHEN b.no % 3 = 0 THEN left(a.details, length(a.details) - 3)   -- truncated
            WHEN b.no % 3 = 1 THEN replace(a.details, '"', '''')             -- single quotes
            ELSE 'details unavailable' END,
       a.updated_at
FROM tmp_bad b
JOIN activity_log a ON a.id = b.src_id
JOIN tmp_bad_base mx ON mx.tbl = b.tbl
WHERE b.tbl = 'activity_log';

INSERT INTO loyalty_transactions (id, brand_id, type, user_ref, perk_id, reward_id, usd_amount,
                                  rsnc_amount, tx_hash, metadata, created_at, updated_at)
SELECT mx.base + b.no,
       CASE WHEN b.reason = 'orphan_reference' AND b.no % 2 = 0 THEN 900000000 + b.no
            WHEN b.reason = 'missing_required' AND b.no % 2 = 0 THEN NULL
            ELSE t.brand_id END,
       CASE WHEN b.reason = 'unknown_enum' THEN 'airdrop' ELSE t.type END,
       t.user_ref,
       CASE WHEN b.reason = 'orphan_reference' AND b.no % 2 = 1 AND t.perk_id IS NOT NULL
            THEN 900000000 + b.no ELSE t.perk_id END,
       CASE WHEN b.reason = 'orphan_reference' AND b.no % 2 = 1 AND t.reward_id IS NOT NULL
            THEN 900000000 + b.no ELSE t.reward_id END,
       t.usd_amount,
       CASE WHEN b.reason = 'negative_amount' THEN -t.rsnc_amount ELSE t.rsnc_amount END,
       '0x' || almanac_demo.hex64(p.seed, 853, mx.base + b.no),
       CASE WHEN b.reason <> 'bad_json' THEN t.metadata
            WHEN b.no % 2 = 0 THEN left(t.metadata, length(t.metadata) - 2)
            ELSE '{channel: pos}' END,
       CASE WHEN b.reason = 'missing_required' AND b.no % 2 = 1 THEN NULL
            WHEN b.reason = 'bad_timestamp' THEN t.created_at + make_interval(years => 2099 - extract(year FROM t.created_at)::integer)
            ELSE t.created_at END,
       t.updated_at
FROM tmp_bad b
JOIN loyalty_transactions t ON t.id = b.src_id
JOIN tmp_bad_base mx ON mx.tbl = b.tbl
CROSS JOIN demo_p p
WHERE b.tbl = 'loyalty_transactions';

INSERT INTO api_requests (id, requested_at, method, endpoint, status_code, duration_ms, api_key,
                          client_ip, updated_at)
SELECT mx.base + b.no,
       CASE b.reason WHEN 'missing_required' THEN NULL
                     WHEN 'bad_timestamp' THEN a.requested_at + make_interval(years => 2099 - extract(year FROM a.requested_at)::integer)
                     ELSE a.requested_at END,
       CASE WHEN b.reason = 'unknown_enum' THEN 'FETCH' ELSE a.method END,
       a.endpoint, a.status_code,
       CASE WHEN b.reason = 'negative_amount' THEN -a.duration_ms - 1 ELSE a.duration_ms END,
       a.api_key, a.client_ip, a.updated_at
FROM tmp_bad b
JOIN api_requests a ON a.id = b.src_id
JOIN tmp_bad_base mx ON mx.tbl = b.tbl
WHERE b.tbl = 'api_requests';

INSERT INTO session_steps (id, session_id, step, occurred_at, updated_at)
SELECT mx.base + b.no,
       CASE WHEN b.reason = 'orphan_reference' THEN 900000000 + b.no ELSE s.session_id END,
       CASE WHEN b.reason = 'unknown_enum' THEN 'share' ELSE s.step END,
       s.occurred_at, s.updated_at
FROM tmp_bad b
JOIN session_steps s ON s.id = b.src_id
JOIN tmp_bad_base mx ON mx.tbl = b.tbl
WHERE b.tbl = 'session_steps';

INSERT INTO almanac_demo.truth (kind, subject, detail)
SELECT 'malformed', b.tbl || ':' || (mx.base + b.no),
       jsonb_build_object('table', b.tbl, 'id', mx.base + b.no, 'reason', b.reason, 'copy_of', b.src_id)
FROM tmp_bad b
JOIN tmp_bad_base mx ON mx.tbl = b.tbl;

DROP FUNCTION pg_temp.plan_bad(text, text[], bigint[], integer);
