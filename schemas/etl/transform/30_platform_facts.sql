-- Platform facts (seed 000): generations, credit movements, subscriptions,
-- partner applications. Merged by source id: new rows inserted, rows whose
-- values changed (a generation deleted later, a subscription ended)
-- rewritten, the rest left alone, so re-running a batch changes nothing.
-- MERGE rather than INSERT ... ON CONFLICT: it joins staging to the fact
-- once (a hash join on a full load, index lookups on a small batch) instead
-- of a speculative insertion per row, which measured about 1.5 times slower
-- on an empty fact and 2 times slower on a batch of rows already loaded.
-- On a first load the fact is empty and has no indexes yet (begin.sql):
-- a plain INSERT appends the batch (MERGE would hash all of it to probe an
-- empty table: twice the time) and etl.restore_indexes builds the keys and
-- BRIN indexes once it is done (before the retry, whose ON CONFLICT needs
-- the key). A row in etl.deferred_indexes is what tells a first load; on
-- every other run restore_indexes finds nothing to do.
-- On every other run the MERGE takes the rows whose id is at most the
-- fact's highest, and the INSERT appends the rest, which cannot match, in
-- id order. Source ids come from sequences, so a day's new rows are above
-- it: the MERGE probed the key for each of them for nothing, and their
-- insertion in id order takes the key's rightmost-leaf fast path instead
-- of a descent per row. S=10, one more day's 84,000 generations, a
-- checkpoint before each, four tries each: 550-600 ms for the MERGE of
-- all, 450-470 ms for the MERGE and the ordered append (500-610 ms
-- unordered). The order costs a sort of the new rows only, never of a
-- first load.
-- date_key is computed here (UTC day). Each table is followed by the retry
-- of its earlier orphans (see 20_dimensions.sql). Needs almanac.run_id.

MERGE INTO dw.fact_generation AS f
USING (SELECT id, event_id, b2c_user_id, style_id, status, credits, latency_ms, created_at,
              deleted_at,
              to_char(created_at AT TIME ZONE 'UTC', 'YYYYMMDD')::integer AS date_key,
              current_setting('almanac.run_id')::bigint AS etl_run_id
       FROM staging.generations
       WHERE _reject_code IS NULL
         AND NOT EXISTS (SELECT 1 FROM etl.deferred_indexes d
                         WHERE d.table_name = 'dw.fact_generation'::regclass)
         AND id <= (SELECT coalesce(max(m.generation_id), -9223372036854775808)
                    FROM dw.fact_generation m)) AS s
ON f.generation_id = s.id
WHEN MATCHED AND (f.event_id, f.b2c_user_id, f.style_id, f.status, f.credits, f.latency_ms,
                  f.created_at, f.deleted_at)
                 IS DISTINCT FROM
                 (s.event_id, s.b2c_user_id, s.style_id, s.status, s.credits, s.latency_ms,
                  s.created_at, s.deleted_at) THEN
    UPDATE SET event_id = s.event_id, b2c_user_id = s.b2c_user_id, style_id = s.style_id,
               status = s.status, credits = s.credits, latency_ms = s.latency_ms,
               created_at = s.created_at, deleted_at = s.deleted_at, date_key = s.date_key,
               etl_run_id = s.etl_run_id
WHEN NOT MATCHED THEN
    INSERT (generation_id, event_id, b2c_user_id, style_id, status, credits, latency_ms,
            created_at, deleted_at, date_key, etl_run_id)
    VALUES (s.id, s.event_id, s.b2c_user_id, s.style_id, s.status, s.credits, s.latency_ms,
            s.created_at, s.deleted_at, s.date_key, s.etl_run_id);

-- A first load (the fact was empty at begin.sql) appends the batch as it
-- comes; any other run the rows above the fact's highest id, in id order
-- (see the top of this file).
INSERT INTO dw.fact_generation (generation_id, event_id, b2c_user_id, style_id, status, credits, latency_ms,
            created_at, deleted_at, date_key, etl_run_id)
WITH s AS NOT MATERIALIZED (
    SELECT id, event_id, b2c_user_id, style_id, status, credits, latency_ms, created_at,
           deleted_at,
           to_char(created_at AT TIME ZONE 'UTC', 'YYYYMMDD')::integer AS date_key,
           current_setting('almanac.run_id')::bigint AS etl_run_id
    FROM staging.generations
    WHERE _reject_code IS NULL
)
SELECT s.id, s.event_id, s.b2c_user_id, s.style_id, s.status, s.credits, s.latency_ms,
            s.created_at, s.deleted_at, s.date_key, s.etl_run_id
FROM s
WHERE EXISTS (SELECT 1 FROM etl.deferred_indexes d
              WHERE d.table_name = 'dw.fact_generation'::regclass)
UNION ALL
(SELECT s.id, s.event_id, s.b2c_user_id, s.style_id, s.status, s.credits, s.latency_ms,
             s.created_at, s.deleted_at, s.date_key, s.etl_run_id
 FROM s
 WHERE NOT EXISTS (SELECT 1 FROM etl.deferred_indexes d
                   WHERE d.table_name = 'dw.fact_generation'::regclass)
   AND s.id > (SELECT coalesce(max(m.generation_id), -9223372036854775808)
               FROM dw.fact_generation m)
 ORDER BY s.id);
SELECT etl.restore_indexes('dw.fact_generation');  -- deferred by a first load (begin.sql)

-- Rows of generations quarantined earlier as orphans, not re-read in this
-- batch, that would pass now: load them from the reject's stored values and
-- close the reject (resolution 'loaded').
WITH retry AS (
    SELECT r.reject_id, t.*
    FROM etl.rejects r
    CROSS JOIN LATERAL jsonb_populate_record(NULL::staging.generations,
                                             r.raw_row::jsonb) AS t
    WHERE r.source_table = 'generations'
      AND r.reason_code = 'orphan_reference'
      AND r.resolved_run_id IS NULL
      AND r.last_seen_run_id <> current_setting('almanac.run_id')::bigint
),
ready AS (
    SELECT t.*
    FROM retry t
    WHERE (t.event_id IS NULL
           OR EXISTS (SELECT 1 FROM dw.dim_event p WHERE p.event_id = t.event_id))
      AND (t.style_id IS NULL
           OR EXISTS (SELECT 1 FROM dw.dim_style p WHERE p.style_id = t.style_id))
      AND (t.b2c_user_id IS NULL
           OR EXISTS (SELECT 1 FROM dw.dim_b2c_user p WHERE p.b2c_user_id = t.b2c_user_id))
),
loaded AS (
    INSERT INTO dw.fact_generation AS f (generation_id, event_id, b2c_user_id, style_id, status,
                                         credits, latency_ms, created_at, deleted_at, date_key,
                                         etl_run_id)
    SELECT id, event_id, b2c_user_id, style_id, status, credits, latency_ms, created_at,
           deleted_at, to_char(created_at AT TIME ZONE 'UTC', 'YYYYMMDD')::integer AS date_key,
           current_setting('almanac.run_id')::bigint
    FROM ready
    ON CONFLICT (generation_id) DO UPDATE
    SET event_id = excluded.event_id, b2c_user_id = excluded.b2c_user_id,
        style_id = excluded.style_id, status = excluded.status, credits = excluded.credits,
        latency_ms = excluded.latency_ms, created_at = excluded.created_at,
        deleted_at = excluded.deleted_at, date_key = excluded.date_key,
        etl_run_id = excluded.etl_run_id
)
UPDATE etl.rejects AS r
SET resolved_run_id = current_setting('almanac.run_id')::bigint, resolution = 'loaded'
FROM ready
WHERE r.reject_id = ready.reject_id;

-- The values this run is about to overwrite, for the snapshots
-- (schemas/etl/snapshots.sql) and the rollups (80_rollups.sql): a movement whose partner, kind, amount or
-- time changes also changes the balances where it was before. Rows of this
-- batch and the open orphan rejects the retry below may load (it loads no
-- other reject: looking up every open reject's id, whatever its reason,
-- cost 50 ms a run at 200,000 open rejects, and grew with them); index
-- look-ups on the fact, which is empty on a first load, and only of ids
-- up to its highest (the rest are new: a day's 6,000 probes found nothing).
CREATE TEMP TABLE replaced_credit_movements ON COMMIT DROP AS
SELECT f.partner_id, f.created_at
FROM dw.fact_credit_movement f
WHERE f.credit_transaction_id IN (
    SELECT k.id
    FROM (SELECT id FROM staging.credit_transactions WHERE _reject_code IS NULL
          UNION ALL
          SELECT CASE WHEN r.source_key ~ '^[0-9]{1,18}$' THEN r.source_key::bigint END
          FROM etl.rejects r
          WHERE r.source_table = 'credit_transactions' AND r.resolved_run_id IS NULL
            AND r.reason_code = 'orphan_reference') AS k (id)
    WHERE k.id <= (SELECT max(m.credit_transaction_id) FROM dw.fact_credit_movement m));

MERGE INTO dw.fact_credit_movement AS f
USING (SELECT id, kind, partner_id, b2c_user_id, event_id, credits, amount_usd, pack_size,
              promo_code, actor, description, created_at,
              to_char(created_at AT TIME ZONE 'UTC', 'YYYYMMDD')::integer AS date_key,
              current_setting('almanac.run_id')::bigint AS etl_run_id
       FROM staging.credit_transactions
       WHERE _reject_code IS NULL
         AND NOT EXISTS (SELECT 1 FROM etl.deferred_indexes d
                         WHERE d.table_name = 'dw.fact_credit_movement'::regclass)
         AND id <= (SELECT coalesce(max(m.credit_transaction_id), -9223372036854775808)
                    FROM dw.fact_credit_movement m)) AS s
ON f.credit_transaction_id = s.id
WHEN MATCHED AND (f.kind, f.partner_id, f.b2c_user_id, f.event_id, f.credits, f.amount_usd,
                  f.pack_size, f.promo_code, f.actor, f.description, f.created_at)
                 IS DISTINCT FROM
                 (s.kind, s.partner_id, s.b2c_user_id, s.event_id, s.credits, s.amount_usd,
                  s.pack_size, s.promo_code, s.actor, s.description, s.created_at) THEN
    UPDATE SET kind = s.kind, partner_id = s.partner_id, b2c_user_id = s.b2c_user_id,
               event_id = s.event_id, credits = s.credits, amount_usd = s.amount_usd,
               pack_size = s.pack_size, promo_code = s.promo_code, actor = s.actor,
               description = s.description, created_at = s.created_at, date_key = s.date_key,
               etl_run_id = s.etl_run_id
WHEN NOT MATCHED THEN
    INSERT (credit_transaction_id, kind, partner_id, b2c_user_id, event_id, credits, amount_usd,
            pack_size, promo_code, actor, description, created_at, date_key, etl_run_id)
    VALUES (s.id, s.kind, s.partner_id, s.b2c_user_id, s.event_id, s.credits, s.amount_usd,
            s.pack_size, s.promo_code, s.actor, s.description, s.created_at, s.date_key,
            s.etl_run_id);

-- A first load (the fact was empty at begin.sql) appends the batch as it
-- comes; any other run the rows above the fact's highest id, in id order
-- (see the top of this file).
INSERT INTO dw.fact_credit_movement (credit_transaction_id, kind, partner_id, b2c_user_id, event_id, credits, amount_usd,
            pack_size, promo_code, actor, description, created_at, date_key, etl_run_id)
WITH s AS NOT MATERIALIZED (
    SELECT id, kind, partner_id, b2c_user_id, event_id, credits, amount_usd, pack_size,
           promo_code, actor, description, created_at,
           to_char(created_at AT TIME ZONE 'UTC', 'YYYYMMDD')::integer AS date_key,
           current_setting('almanac.run_id')::bigint AS etl_run_id
    FROM staging.credit_transactions
    WHERE _reject_code IS NULL
)
SELECT s.id, s.kind, s.partner_id, s.b2c_user_id, s.event_id, s.credits, s.amount_usd,
            s.pack_size, s.promo_code, s.actor, s.description, s.created_at, s.date_key,
            s.etl_run_id
FROM s
WHERE EXISTS (SELECT 1 FROM etl.deferred_indexes d
              WHERE d.table_name = 'dw.fact_credit_movement'::regclass)
UNION ALL
(SELECT s.id, s.kind, s.partner_id, s.b2c_user_id, s.event_id, s.credits, s.amount_usd,
             s.pack_size, s.promo_code, s.actor, s.description, s.created_at, s.date_key,
             s.etl_run_id
 FROM s
 WHERE NOT EXISTS (SELECT 1 FROM etl.deferred_indexes d
                   WHERE d.table_name = 'dw.fact_credit_movement'::regclass)
   AND s.id > (SELECT coalesce(max(m.credit_transaction_id), -9223372036854775808)
               FROM dw.fact_credit_movement m)
 ORDER BY s.id);
SELECT etl.restore_indexes('dw.fact_credit_movement');  -- deferred by a first load (begin.sql)

-- Rows of credit_transactions quarantined earlier as orphans, not re-read in
-- this batch, that would pass now: load them from the reject's stored values
-- and close the reject (resolution 'loaded').
WITH retry AS (
    SELECT r.reject_id, t.*
    FROM etl.rejects r
    CROSS JOIN LATERAL jsonb_populate_record(NULL::staging.credit_transactions,
                                             r.raw_row::jsonb) AS t
    WHERE r.source_table = 'credit_transactions'
      AND r.reason_code = 'orphan_reference'
      AND r.resolved_run_id IS NULL
      AND r.last_seen_run_id <> current_setting('almanac.run_id')::bigint
),
ready AS (
    SELECT t.*
    FROM retry t
    WHERE (t.partner_id IS NULL
           OR EXISTS (SELECT 1 FROM dw.partner_latest p WHERE p.partner_id = t.partner_id))
      AND (t.event_id IS NULL
           OR EXISTS (SELECT 1 FROM dw.dim_event p WHERE p.event_id = t.event_id))
      AND (t.b2c_user_id IS NULL
           OR EXISTS (SELECT 1 FROM dw.dim_b2c_user p WHERE p.b2c_user_id = t.b2c_user_id))
),
loaded AS (
    INSERT INTO dw.fact_credit_movement AS f (credit_transaction_id, kind, partner_id,
                                              b2c_user_id, event_id, credits, amount_usd,
                                              pack_size, promo_code, actor, description,
                                              created_at, date_key, etl_run_id)
    SELECT id, kind, partner_id, b2c_user_id, event_id, credits, amount_usd, pack_size,
           promo_code, actor, description, created_at,
           to_char(created_at AT TIME ZONE 'UTC', 'YYYYMMDD')::integer AS date_key,
           current_setting('almanac.run_id')::bigint
    FROM ready
    ON CONFLICT (credit_transaction_id) DO UPDATE
    SET kind = excluded.kind, partner_id = excluded.partner_id,
        b2c_user_id = excluded.b2c_user_id, event_id = excluded.event_id,
        credits = excluded.credits, amount_usd = excluded.amount_usd,
        pack_size = excluded.pack_size, promo_code = excluded.promo_code,
        actor = excluded.actor, description = excluded.description,
        created_at = excluded.created_at, date_key = excluded.date_key,
        etl_run_id = excluded.etl_run_id
)
UPDATE etl.rejects AS r
SET resolved_run_id = current_setting('almanac.run_id')::bigint, resolution = 'loaded'
FROM ready
WHERE r.reject_id = ready.reject_id;

MERGE INTO dw.fact_subscription AS f
USING (SELECT id, b2c_user_id, plan, monthly_fee_usd, started_at, ended_at,
              to_char(started_at AT TIME ZONE 'UTC', 'YYYYMMDD')::integer AS start_date_key,
              current_setting('almanac.run_id')::bigint AS etl_run_id
       FROM staging.subscriptions
       WHERE _reject_code IS NULL) AS s
ON f.subscription_id = s.id
WHEN MATCHED AND (f.b2c_user_id, f.plan, f.monthly_fee_usd, f.started_at, f.ended_at)
                 IS DISTINCT FROM
                 (s.b2c_user_id, s.plan, s.monthly_fee_usd, s.started_at, s.ended_at) THEN
    UPDATE SET b2c_user_id = s.b2c_user_id, plan = s.plan, monthly_fee_usd = s.monthly_fee_usd,
               started_at = s.started_at, ended_at = s.ended_at,
               start_date_key = s.start_date_key, etl_run_id = s.etl_run_id
WHEN NOT MATCHED THEN
    INSERT (subscription_id, b2c_user_id, plan, monthly_fee_usd, started_at, ended_at,
            start_date_key, etl_run_id)
    VALUES (s.id, s.b2c_user_id, s.plan, s.monthly_fee_usd, s.started_at, s.ended_at,
            s.start_date_key, s.etl_run_id);
SELECT etl.restore_indexes('dw.fact_subscription');  -- deferred by a first load (begin.sql)

-- Rows of subscriptions quarantined earlier as orphans, not re-read in this
-- batch, that would pass now: load them from the reject's stored values and
-- close the reject (resolution 'loaded').
WITH retry AS (
    SELECT r.reject_id, t.*
    FROM etl.rejects r
    CROSS JOIN LATERAL jsonb_populate_record(NULL::staging.subscriptions,
                                             r.raw_row::jsonb) AS t
    WHERE r.source_table = 'subscriptions'
      AND r.reason_code = 'orphan_reference'
      AND r.resolved_run_id IS NULL
      AND r.last_seen_run_id <> current_setting('almanac.run_id')::bigint
),
ready AS (
    SELECT t.*
    FROM retry t
    WHERE (t.b2c_user_id IS NULL
           OR EXISTS (SELECT 1 FROM dw.dim_b2c_user p WHERE p.b2c_user_id = t.b2c_user_id))
),
loaded AS (
    INSERT INTO dw.fact_subscription AS f (subscription_id, b2c_user_id, plan, monthly_fee_usd,
                                           started_at, ended_at, start_date_key, etl_run_id)
    SELECT id, b2c_user_id, plan, monthly_fee_usd, started_at, ended_at,
           to_char(started_at AT TIME ZONE 'UTC', 'YYYYMMDD')::integer AS start_date_key,
           current_setting('almanac.run_id')::bigint
    FROM ready
    ON CONFLICT (subscription_id) DO UPDATE
    SET b2c_user_id = excluded.b2c_user_id, plan = excluded.plan,
        monthly_fee_usd = excluded.monthly_fee_usd, started_at = excluded.started_at,
        ended_at = excluded.ended_at, start_date_key = excluded.start_date_key,
        etl_run_id = excluded.etl_run_id
)
UPDATE etl.rejects AS r
SET resolved_run_id = current_setting('almanac.run_id')::bigint, resolution = 'loaded'
FROM ready
WHERE r.reject_id = ready.reject_id;

MERGE INTO dw.fact_partner_application AS f
USING (SELECT id, company_name, contact_email, status, submitted_at, decided_at, partner_id,
              extract(epoch FROM decided_at - submitted_at) AS response_seconds,
              to_char(submitted_at AT TIME ZONE 'UTC', 'YYYYMMDD')::integer AS submitted_date_key,
              current_setting('almanac.run_id')::bigint AS etl_run_id
       FROM staging.partner_applications
       WHERE _reject_code IS NULL) AS s
ON f.application_id = s.id
WHEN MATCHED AND (f.company_name, f.contact_email, f.status, f.submitted_at, f.decided_at,
                  f.partner_id)
                 IS DISTINCT FROM
                 (s.company_name, s.contact_email, s.status, s.submitted_at, s.decided_at,
                  s.partner_id) THEN
    UPDATE SET company_name = s.company_name, contact_email = s.contact_email,
               status = s.status, submitted_at = s.submitted_at, decided_at = s.decided_at,
               partner_id = s.partner_id, response_seconds = s.response_seconds,
               submitted_date_key = s.submitted_date_key, etl_run_id = s.etl_run_id
WHEN NOT MATCHED THEN
    INSERT (application_id, company_name, contact_email, status, submitted_at, decided_at,
            partner_id, response_seconds, submitted_date_key, etl_run_id)
    VALUES (s.id, s.company_name, s.contact_email, s.status, s.submitted_at, s.decided_at,
            s.partner_id, s.response_seconds, s.submitted_date_key, s.etl_run_id);
SELECT etl.restore_indexes('dw.fact_partner_application');  -- deferred by a first load (begin.sql)

-- Rows of partner_applications quarantined earlier as orphans, not re-read in
-- this batch, that would pass now: load them from the reject's stored values
-- and close the reject (resolution 'loaded').
WITH retry AS (
    SELECT r.reject_id, t.*
    FROM etl.rejects r
    CROSS JOIN LATERAL jsonb_populate_record(NULL::staging.partner_applications,
                                             r.raw_row::jsonb) AS t
    WHERE r.source_table = 'partner_applications'
      AND r.reason_code = 'orphan_reference'
      AND r.resolved_run_id IS NULL
      AND r.last_seen_run_id <> current_setting('almanac.run_id')::bigint
),
ready AS (
    SELECT t.*
    FROM retry t
    WHERE (t.partner_id IS NULL
           OR EXISTS (SELECT 1 FROM dw.partner_latest p WHERE p.partner_id = t.partner_id))
),
loaded AS (
    INSERT INTO dw.fact_partner_application AS f (application_id, company_name, contact_email,
                                                  status, submitted_at, decided_at, partner_id,
                                                  response_seconds, submitted_date_key,
                                                  etl_run_id)
    SELECT id, company_name, contact_email, status, submitted_at, decided_at, partner_id,
           extract(epoch FROM decided_at - submitted_at) AS response_seconds,
           to_char(submitted_at AT TIME ZONE 'UTC', 'YYYYMMDD')::integer AS submitted_date_key,
           current_setting('almanac.run_id')::bigint
    FROM ready
    ON CONFLICT (application_id) DO UPDATE
    SET company_name = excluded.company_name, contact_email = excluded.contact_email,
        status = excluded.status, submitted_at = excluded.submitted_at,
        decided_at = excluded.decided_at, partner_id = excluded.partner_id,
        response_seconds = excluded.response_seconds,
        submitted_date_key = excluded.submitted_date_key, etl_run_id = excluded.etl_run_id
)
UPDATE etl.rejects AS r
SET resolved_run_id = current_setting('almanac.run_id')::bigint, resolution = 'loaded'
FROM ready
WHERE r.reject_id = ready.reject_id;
