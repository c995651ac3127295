-- Records this batch's rejected staging rows in etl.rejects, after
-- validate_references.sql. Needs almanac.run_id (set_config by the program).
--
-- One open reject per (table, key, reason): seen again, it only moves
-- last_seen_run_id and refreshes raw_row and reason_text. An open reject is
-- closed (resolved_run_id = this run) when its source row
--   arrives valid now                         -> resolution 'loaded'
--   is rejected now for a different reason    -> resolution 'superseded'
-- source_key is the source id; a row whose id did not parse is keyed by the
-- md5 of its raw text, so re-reading it does not duplicate it either.
-- raw_row is the source's COPY text for rows the program refused, and the
-- typed values as a JSON object for rows refused here by the SQL checks.

CREATE TEMP TABLE IF NOT EXISTS pg_temp.batch_rejects (
    source_table text NOT NULL,
    source_key   text NOT NULL,
    reason_code  text NOT NULL,
    reason_text  text,
    raw_row      text
) ON COMMIT DROP;
TRUNCATE pg_temp.batch_rejects;

-- The typed values become JSON only for rows without raw text (those the
-- SQL checks refused): converting every rejected row took twice as long
-- (12,813 rejects at scale 10: 65 ms against 32 ms).
INSERT INTO pg_temp.batch_rejects
SELECT DISTINCT ON (source_table, source_key, reason_code) *
FROM (
    SELECT source_table, coalesce(id::text, 'md5:' || md5(raw)) AS source_key,
           code AS reason_code, reason AS reason_text,
           coalesce(raw, (j - '_reject_code' - '_reject_reason' - '_raw')::text) AS raw_row
    FROM (
        SELECT 'partners' AS source_table, s.id, s._reject_code AS code,
               s._reject_reason AS reason, s._raw AS raw,
               CASE WHEN s._raw IS NULL THEN to_jsonb(s) END AS j
        FROM staging.partners s WHERE s._reject_code IS NOT NULL
    UNION ALL
        SELECT 'partner_status_history', s.id, s._reject_code, s._reject_reason, s._raw,
               CASE WHEN s._raw IS NULL THEN to_jsonb(s) END
        FROM staging.partner_status_history s WHERE s._reject_code IS NOT NULL
    UNION ALL
        SELECT 'partner_applications', s.id, s._reject_code, s._reject_reason, s._raw,
               CASE WHEN s._raw IS NULL THEN to_jsonb(s) END
        FROM staging.partner_applications s WHERE s._reject_code IS NOT NULL
    UNION ALL
        SELECT 'events', s.id, s._reject_code, s._reject_reason, s._raw,
               CASE WHEN s._raw IS NULL THEN to_jsonb(s) END
        FROM staging.events s WHERE s._reject_code IS NOT NULL
    UNION ALL
        SELECT 'styles', s.id, s._reject_code, s._reject_reason, s._raw,
               CASE WHEN s._raw IS NULL THEN to_jsonb(s) END
        FROM staging.styles s WHERE s._reject_code IS NOT NULL
    UNION ALL
        SELECT 'b2c_users', s.id, s._reject_code, s._reject_reason, s._raw,
               CASE WHEN s._raw IS NULL THEN to_jsonb(s) END
        FROM staging.b2c_users s WHERE s._reject_code IS NOT NULL
    UNION ALL
        SELECT 'generations', s.id, s._reject_code, s._reject_reason, s._raw,
               CASE WHEN s._raw IS NULL THEN to_jsonb(s) END
        FROM staging.generations s WHERE s._reject_code IS NOT NULL
    UNION ALL
        SELECT 'credit_transactions', s.id, s._reject_code, s._reject_reason, s._raw,
               CASE WHEN s._raw IS NULL THEN to_jsonb(s) END
        FROM staging.credit_transactions s WHERE s._reject_code IS NOT NULL
    UNION ALL
        SELECT 'subscriptions', s.id, s._reject_code, s._reject_reason, s._raw,
               CASE WHEN s._raw IS NULL THEN to_jsonb(s) END
        FROM staging.subscriptions s WHERE s._reject_code IS NOT NULL
    UNION ALL
        SELECT 'health_checks', s.id, s._reject_code, s._reject_reason, s._raw,
               CASE WHEN s._raw IS NULL THEN to_jsonb(s) END
        FROM staging.health_checks s WHERE s._reject_code IS NOT NULL
    UNION ALL
        SELECT 'api_requests', s.id, s._reject_code, s._reject_reason, s._raw,
               CASE WHEN s._raw IS NULL THEN to_jsonb(s) END
        FROM staging.api_requests s WHERE s._reject_code IS NOT NULL
    UNION ALL
        SELECT 'activity_log', s.id, s._reject_code, s._reject_reason, s._raw,
               CASE WHEN s._raw IS NULL THEN to_jsonb(s) END
        FROM staging.activity_log s WHERE s._reject_code IS NOT NULL
    UNION ALL
        SELECT 'sessions', s.id, s._reject_code, s._reject_reason, s._raw,
               CASE WHEN s._raw IS NULL THEN to_jsonb(s) END
        FROM staging.sessions s WHERE s._reject_code IS NOT NULL
    UNION ALL
        SELECT 'session_steps', s.id, s._reject_code, s._reject_reason, s._raw,
               CASE WHEN s._raw IS NULL THEN to_jsonb(s) END
        FROM staging.session_steps s WHERE s._reject_code IS NOT NULL
    UNION ALL
        SELECT 'loyalty_brands', s.id, s._reject_code, s._reject_reason, s._raw,
               CASE WHEN s._raw IS NULL THEN to_jsonb(s) END
        FROM staging.loyalty_brands s WHERE s._reject_code IS NOT NULL
    UNION ALL
        SELECT 'loyalty_rewards', s.id, s._reject_code, s._reject_reason, s._raw,
               CASE WHEN s._raw IS NULL THEN to_jsonb(s) END
        FROM staging.loyalty_rewards s WHERE s._reject_code IS NOT NULL
    UNION ALL
        SELECT 'loyalty_perks', s.id, s._reject_code, s._reject_reason, s._raw,
               CASE WHEN s._raw IS NULL THEN to_jsonb(s) END
        FROM staging.loyalty_perks s WHERE s._reject_code IS NOT NULL
    UNION ALL
        SELECT 'loyalty_transactions', s.id, s._reject_code, s._reject_reason, s._raw,
               CASE WHEN s._raw IS NULL THEN to_jsonb(s) END
        FROM staging.loyalty_transactions s WHERE s._reject_code IS NOT NULL
    ) staged
) r
ORDER BY source_table, source_key, reason_code;

-- Open rejects whose source row arrived valid in this batch: closed as
-- loaded. Runs before this batch's rejects are recorded: a row is good or
-- rejected in one batch, never both, so those cannot be among them.
-- A numeric key is the id's own text (source_key above is id::text); only
-- keys of 1-18 digits match (ids 0 to 10^18 - 1). A staged id above the
-- highest numeric key of its table's open rejects (rejects_open_id_idx,
-- migration 030: one probe per table) has none, and a day's new rows are
-- all above it; the others each probe their key's open rejects
-- (rejects_open_key; OFFSET 0 keeps it a probe). Joining the good rows of
-- the batch to all open rejects read every open reject on every run:
-- 180 ms at scale 10 after 19 benchmark days (204,000 open rejects), and
-- they grow by 8,565 a day.
WITH bound AS MATERIALIZED (
    SELECT t.source_table,
           (SELECT max(CASE WHEN r.source_key ~ '^[0-9]{1,18}$' THEN r.source_key::bigint END)
            FROM etl.rejects r
            WHERE r.resolved_run_id IS NULL AND r.source_table = t.source_table) AS id
    FROM (VALUES
        ('partners'),
        ('partner_status_history'),
        ('partner_applications'),
        ('events'),
        ('styles'),
        ('b2c_users'),
        ('generations'),
        ('credit_transactions'),
        ('subscriptions'),
        ('health_checks'),
        ('api_requests'),
        ('activity_log'),
        ('sessions'),
        ('session_steps'),
        ('loyalty_brands'),
        ('loyalty_rewards'),
        ('loyalty_perks'),
        ('loyalty_transactions')
    ) AS t (source_table)
),
staged AS (
    SELECT 'partners' AS source_table, id FROM staging.partners WHERE _reject_code IS NULL
    UNION ALL
    SELECT 'partner_status_history', id FROM staging.partner_status_history WHERE _reject_code IS NULL
    UNION ALL
    SELECT 'partner_applications',  id FROM staging.partner_applications WHERE _reject_code IS NULL
    UNION ALL
    SELECT 'events',                id FROM staging.events WHERE _reject_code IS NULL
    UNION ALL
    SELECT 'styles',                id FROM staging.styles WHERE _reject_code IS NULL
    UNION ALL
    SELECT 'b2c_users',             id FROM staging.b2c_users WHERE _reject_code IS NULL
    UNION ALL
    SELECT 'generations',           id FROM staging.generations WHERE _reject_code IS NULL
    UNION ALL
    SELECT 'credit_transactions',   id FROM staging.credit_transactions WHERE _reject_code IS NULL
    UNION ALL
    SELECT 'subscriptions',         id FROM staging.subscriptions WHERE _reject_code IS NULL
    UNION ALL
    SELECT 'health_checks',         id FROM staging.health_checks WHERE _reject_code IS NULL
    UNION ALL
    SELECT 'api_requests',          id FROM staging.api_requests WHERE _reject_code IS NULL
    UNION ALL
    SELECT 'activity_log',          id FROM staging.activity_log WHERE _reject_code IS NULL
    UNION ALL
    SELECT 'sessions',              id FROM staging.sessions WHERE _reject_code IS NULL
    UNION ALL
    SELECT 'session_steps',         id FROM staging.session_steps WHERE _reject_code IS NULL
    UNION ALL
    SELECT 'loyalty_brands',        id FROM staging.loyalty_brands WHERE _reject_code IS NULL
    UNION ALL
    SELECT 'loyalty_rewards',       id FROM staging.loyalty_rewards WHERE _reject_code IS NULL
    UNION ALL
    SELECT 'loyalty_perks',         id FROM staging.loyalty_perks WHERE _reject_code IS NULL
    UNION ALL
    SELECT 'loyalty_transactions',  id FROM staging.loyalty_transactions WHERE _reject_code IS NULL
),
now_loaded AS MATERIALIZED (
    SELECT o.tid
    FROM staged s
    JOIN bound b ON b.source_table = s.source_table
    CROSS JOIN LATERAL (SELECT r.ctid AS tid
                        FROM etl.rejects r
                        WHERE r.resolved_run_id IS NULL
                          AND r.source_table = s.source_table
                          AND r.source_key = s.id::text
                        OFFSET 0) o
    WHERE s.id BETWEEN 0 AND 999999999999999999 AND s.id <= b.id
)
UPDATE etl.rejects AS r
SET resolved_run_id = current_setting('almanac.run_id')::bigint, resolution = 'loaded'
WHERE r.ctid = ANY (ARRAY(SELECT tid FROM now_loaded));  -- a TID scan, as in
                                                          -- validate_references.sql

-- Open rejects of rows rejected again, now for another reason. The open
-- rejects of each batch reject's row are looked up through rejects_open_key
-- (OFFSET 0 keeps the lateral subquery a probe per batch reject; flattened,
-- it was planned as a hash of every open reject): joining the batch to all
-- open rejects read every one of them on every run, and they only grow
-- (41,000 after the full load at scale 10, 8,565 more each benchmark day).
WITH superseded AS MATERIALIZED (
    SELECT o.tid
    FROM pg_temp.batch_rejects b
    CROSS JOIN LATERAL (SELECT r.ctid AS tid, r.reason_code
                        FROM etl.rejects r
                        WHERE r.resolved_run_id IS NULL
                          AND r.source_table = b.source_table
                          AND r.source_key = b.source_key
                        OFFSET 0) o
    WHERE o.reason_code <> b.reason_code
      AND NOT EXISTS (SELECT 1 FROM pg_temp.batch_rejects same
                      WHERE same.source_table = b.source_table
                        AND same.source_key = b.source_key
                        AND same.reason_code = o.reason_code)
)
UPDATE etl.rejects AS r
SET resolved_run_id = current_setting('almanac.run_id')::bigint, resolution = 'superseded'
WHERE r.ctid = ANY (ARRAY(SELECT tid FROM superseded));  -- a TID scan, as in
                                                          -- validate_references.sql

-- This batch's rejects: new ones inserted, open ones seen again refreshed.
INSERT INTO etl.rejects AS r (run_id, source_table, source_key, reason_code, reason_text, raw_row,
                              first_seen_run_id, last_seen_run_id)
SELECT current_setting('almanac.run_id')::bigint, b.source_table, b.source_key, b.reason_code,
       b.reason_text, b.raw_row,
       current_setting('almanac.run_id')::bigint, current_setting('almanac.run_id')::bigint
FROM pg_temp.batch_rejects b
ON CONFLICT (source_table, source_key, reason_code) WHERE resolved_run_id IS NULL
DO UPDATE SET reason_text = excluded.reason_text, raw_row = excluded.raw_row,
              last_seen_run_id = excluded.last_seen_run_id
WHERE (r.reason_text, r.raw_row, r.last_seen_run_id)
      IS DISTINCT FROM (excluded.reason_text, excluded.raw_row, excluded.last_seen_run_id);
