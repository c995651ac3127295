-- Operations facts: health checks, API requests, the activity log, B2C
-- sessions and their funnel steps. Merged by source id like the platform
-- facts (see 30_platform_facts.sql); sessions and steps are followed by the
-- retry of their earlier orphans. Needs almanac.run_id.

MERGE INTO dw.fact_health_check AS f
USING (SELECT id, component, checked_at, status, response_ms,
              to_char(checked_at AT TIME ZONE 'UTC', 'YYYYMMDD')::integer AS date_key,
              current_setting('almanac.run_id')::bigint AS etl_run_id
       FROM staging.health_checks
       WHERE _reject_code IS NULL
         AND NOT EXISTS (SELECT 1 FROM etl.deferred_indexes d
                         WHERE d.table_name = 'dw.fact_health_check'::regclass)
         AND id <= (SELECT coalesce(max(m.health_check_id), -9223372036854775808)
                    FROM dw.fact_health_check m)) AS s
ON f.health_check_id = s.id
WHEN MATCHED AND (f.component, f.checked_at, f.status, f.response_ms)
                 IS DISTINCT FROM
                 (s.component, s.checked_at, s.status, s.response_ms) THEN
    UPDATE SET component = s.component, checked_at = s.checked_at, status = s.status,
               response_ms = s.response_ms, date_key = s.date_key, etl_run_id = s.etl_run_id
WHEN NOT MATCHED THEN
    INSERT (health_check_id, component, checked_at, status, response_ms, date_key, etl_run_id)
    VALUES (s.id, s.component, s.checked_at, s.status, s.response_ms, s.date_key, s.etl_run_id);

-- A first load (the fact was empty at begin.sql) appends the batch as it
-- comes; any other run the rows above the fact's highest id, in id order
-- (see 30_platform_facts.sql).
INSERT INTO dw.fact_health_check (health_check_id, component, checked_at, status, response_ms, date_key, etl_run_id)
WITH s AS NOT MATERIALIZED (
    SELECT id, component, checked_at, status, response_ms,
           to_char(checked_at AT TIME ZONE 'UTC', 'YYYYMMDD')::integer AS date_key,
           current_setting('almanac.run_id')::bigint AS etl_run_id
    FROM staging.health_checks
    WHERE _reject_code IS NULL
)
SELECT s.id, s.component, s.checked_at, s.status, s.response_ms, s.date_key, s.etl_run_id
FROM s
WHERE EXISTS (SELECT 1 FROM etl.deferred_indexes d
              WHERE d.table_name = 'dw.fact_health_check'::regclass)
UNION ALL
(SELECT s.id, s.component, s.checked_at, s.status, s.response_ms, s.date_key, s.etl_run_id
 FROM s
 WHERE NOT EXISTS (SELECT 1 FROM etl.deferred_indexes d
                   WHERE d.table_name = 'dw.fact_health_check'::regclass)
   AND s.id > (SELECT coalesce(max(m.health_check_id), -9223372036854775808)
               FROM dw.fact_health_check m)
 ORDER BY s.id);
SELECT etl.restore_indexes('dw.fact_health_check');  -- deferred by a first load (begin.sql)

MERGE INTO dw.fact_api_request AS f
USING (SELECT id, requested_at, method, endpoint, status_code, duration_ms, api_key, client_ip,
              to_char(requested_at AT TIME ZONE 'UTC', 'YYYYMMDD')::integer AS date_key,
              current_setting('almanac.run_id')::bigint AS etl_run_id
       FROM staging.api_requests
       WHERE _reject_code IS NULL
         AND NOT EXISTS (SELECT 1 FROM etl.deferred_indexes d
                         WHERE d.table_name = 'dw.fact_api_request'::regclass)
         AND id <= (SELECT coalesce(max(m.api_request_id), -9223372036854775808)
                    FROM dw.fact_api_request m)) AS s
ON f.api_request_id = s.id
WHEN MATCHED AND (f.requested_at, f.method, f.endpoint, f.status_code, f.duration_ms, f.api_key,
                  f.client_ip)
                 IS DISTINCT FROM
                 (s.requested_at, s.method, s.endpoint, s.status_code, s.duration_ms, s.api_key,
                  s.client_ip) THEN
    UPDATE SET requested_at = s.requested_at, method = s.method, endpoint = s.endpoint,
               status_code = s.status_code, duration_ms = s.duration_ms, api_key = s.api_key,
               client_ip = s.client_ip, date_key = s.date_key, etl_run_id = s.etl_run_id
WHEN NOT MATCHED THEN
    INSERT (api_request_id, requested_at, method, endpoint, status_code, duration_ms, api_key,
            client_ip, date_key, etl_run_id)
    VALUES (s.id, s.requested_at, s.method, s.endpoint, s.status_code, s.duration_ms, s.api_key,
            s.client_ip, s.date_key, s.etl_run_id);

-- A first load (the fact was empty at begin.sql) appends the batch as it
-- comes; any other run the rows above the fact's highest id, in id order
-- (see 30_platform_facts.sql).
INSERT INTO dw.fact_api_request (api_request_id, requested_at, method, endpoint, status_code, duration_ms, api_key,
            client_ip, date_key, etl_run_id)
WITH s AS NOT MATERIALIZED (
    SELECT id, requested_at, method, endpoint, status_code, duration_ms, api_key, client_ip,
           to_char(requested_at AT TIME ZONE 'UTC', 'YYYYMMDD')::integer AS date_key,
           current_setting('almanac.run_id')::bigint AS etl_run_id
    FROM staging.api_requests
    WHERE _reject_code IS NULL
)
SELECT s.id, s.requested_at, s.method, s.endpoint, s.status_code, s.duration_ms, s.api_key,
            s.client_ip, s.date_key, s.etl_run_id
FROM s
WHERE EXISTS (SELECT 1 FROM etl.deferred_indexes d
              WHERE d.table_name = 'dw.fact_api_request'::regclass)
UNION ALL
(SELECT s.id, s.requested_at, s.method, s.endpoint, s.status_code, s.duration_ms, s.api_key,
             s.client_ip, s.date_key, s.etl_run_id
 FROM s
 WHERE NOT EXISTS (SELECT 1 FROM etl.deferred_indexes d
                   WHERE d.table_name = 'dw.fact_api_request'::regclass)
   AND s.id > (SELECT coalesce(max(m.api_request_id), -9223372036854775808)
               FROM dw.fact_api_request m)
 ORDER BY s.id);
SELECT etl.restore_indexes('dw.fact_api_request');  -- deferred by a first load (begin.sql)

-- details was checked to be a JSON object by the program.
MERGE INTO dw.fact_activity AS f
USING (SELECT id, occurred_at, actor, actor_type, action, ip, details::jsonb AS details,
              to_char(occurred_at AT TIME ZONE 'UTC', 'YYYYMMDD')::integer AS date_key,
              current_setting('almanac.run_id')::bigint AS etl_run_id
       FROM staging.activity_log
       WHERE _reject_code IS NULL
         AND NOT EXISTS (SELECT 1 FROM etl.deferred_indexes d
                         WHERE d.table_name = 'dw.fact_activity'::regclass)
         AND id <= (SELECT coalesce(max(m.activity_id), -9223372036854775808)
                    FROM dw.fact_activity m)) AS s
ON f.activity_id = s.id
WHEN MATCHED AND (f.occurred_at, f.actor, f.actor_type, f.action, f.ip, f.details)
                 IS DISTINCT FROM
                 (s.occurred_at, s.actor, s.actor_type, s.action, s.ip, s.details) THEN
    UPDATE SET occurred_at = s.occurred_at, actor = s.actor, actor_type = s.actor_type,
               action = s.action, ip = s.ip, details = s.details, date_key = s.date_key,
               etl_run_id = s.etl_run_id
WHEN NOT MATCHED THEN
    INSERT (activity_id, occurred_at, actor, actor_type, action, ip, details, date_key,
            etl_run_id)
    VALUES (s.id, s.occurred_at, s.actor, s.actor_type, s.action, s.ip, s.details, s.date_key,
            s.etl_run_id);

-- A first load (the fact was empty at begin.sql) appends the batch as it
-- comes; any other run the rows above the fact's highest id, in id order
-- (see 30_platform_facts.sql).
INSERT INTO dw.fact_activity (activity_id, occurred_at, actor, actor_type, action, ip, details, date_key,
            etl_run_id)
WITH s AS NOT MATERIALIZED (
    SELECT id, occurred_at, actor, actor_type, action, ip, details::jsonb AS details,
           to_char(occurred_at AT TIME ZONE 'UTC', 'YYYYMMDD')::integer AS date_key,
           current_setting('almanac.run_id')::bigint AS etl_run_id
    FROM staging.activity_log
    WHERE _reject_code IS NULL
)
SELECT s.id, s.occurred_at, s.actor, s.actor_type, s.action, s.ip, s.details, s.date_key,
            s.etl_run_id
FROM s
WHERE EXISTS (SELECT 1 FROM etl.deferred_indexes d
              WHERE d.table_name = 'dw.fact_activity'::regclass)
UNION ALL
(SELECT s.id, s.occurred_at, s.actor, s.actor_type, s.action, s.ip, s.details, s.date_key,
             s.etl_run_id
 FROM s
 WHERE NOT EXISTS (SELECT 1 FROM etl.deferred_indexes d
                   WHERE d.table_name = 'dw.fact_activity'::regclass)
   AND s.id > (SELECT coalesce(max(m.activity_id), -9223372036854775808)
               FROM dw.fact_activity m)
 ORDER BY s.id);
SELECT etl.restore_indexes('dw.fact_activity');  -- deferred by a first load (begin.sql)

MERGE INTO dw.fact_session AS f
USING (SELECT id, b2c_user_id, device, started_at, ended_at,
              extract(epoch FROM ended_at - started_at) AS duration_s,
              to_char(started_at AT TIME ZONE 'UTC', 'YYYYMMDD')::integer AS date_key,
              current_setting('almanac.run_id')::bigint AS etl_run_id
       FROM staging.sessions
       WHERE _reject_code IS NULL
         AND NOT EXISTS (SELECT 1 FROM etl.deferred_indexes d
                         WHERE d.table_name = 'dw.fact_session'::regclass)
         AND id <= (SELECT coalesce(max(m.session_id), -9223372036854775808)
                    FROM dw.fact_session m)) AS s
ON f.session_id = s.id
WHEN MATCHED AND (f.b2c_user_id, f.device, f.started_at, f.ended_at)
                 IS DISTINCT FROM
                 (s.b2c_user_id, s.device, s.started_at, s.ended_at) THEN
    UPDATE SET b2c_user_id = s.b2c_user_id, device = s.device, started_at = s.started_at,
               ended_at = s.ended_at, duration_s = s.duration_s, date_key = s.date_key,
               etl_run_id = s.etl_run_id
WHEN NOT MATCHED THEN
    INSERT (session_id, b2c_user_id, device, started_at, ended_at, duration_s, date_key,
            etl_run_id)
    VALUES (s.id, s.b2c_user_id, s.device, s.started_at, s.ended_at, s.duration_s, s.date_key,
            s.etl_run_id);

-- A first load (the fact was empty at begin.sql) appends the batch as it
-- comes; any other run the rows above the fact's highest id, in id order
-- (see 30_platform_facts.sql).
INSERT INTO dw.fact_session (session_id, b2c_user_id, device, started_at, ended_at, duration_s, date_key,
            etl_run_id)
WITH s AS NOT MATERIALIZED (
    SELECT id, b2c_user_id, device, started_at, ended_at,
           extract(epoch FROM ended_at - started_at) AS duration_s,
           to_char(started_at AT TIME ZONE 'UTC', 'YYYYMMDD')::integer AS date_key,
           current_setting('almanac.run_id')::bigint AS etl_run_id
    FROM staging.sessions
    WHERE _reject_code IS NULL
)
SELECT s.id, s.b2c_user_id, s.device, s.started_at, s.ended_at, s.duration_s, s.date_key,
            s.etl_run_id
FROM s
WHERE EXISTS (SELECT 1 FROM etl.deferred_indexes d
              WHERE d.table_name = 'dw.fact_session'::regclass)
UNION ALL
(SELECT s.id, s.b2c_user_id, s.device, s.started_at, s.ended_at, s.duration_s, s.date_key,
             s.etl_run_id
 FROM s
 WHERE NOT EXISTS (SELECT 1 FROM etl.deferred_indexes d
                   WHERE d.table_name = 'dw.fact_session'::regclass)
   AND s.id > (SELECT coalesce(max(m.session_id), -9223372036854775808)
               FROM dw.fact_session m)
 ORDER BY s.id);
SELECT etl.restore_indexes('dw.fact_session');  -- deferred by a first load (begin.sql)

-- Rows of sessions quarantined earlier as orphans, not re-read in this batch,
-- that would pass now: load them from the reject's stored values and close the
-- reject (resolution 'loaded').
WITH retry AS (
    SELECT r.reject_id, t.*
    FROM etl.rejects r
    CROSS JOIN LATERAL jsonb_populate_record(NULL::staging.sessions,
                                             r.raw_row::jsonb) AS t
    WHERE r.source_table = 'sessions'
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
    INSERT INTO dw.fact_session AS f (session_id, b2c_user_id, device, started_at, ended_at,
                                      duration_s, date_key, etl_run_id)
    SELECT id, b2c_user_id, device, started_at, ended_at,
           extract(epoch FROM ended_at - started_at) AS duration_s,
           to_char(started_at AT TIME ZONE 'UTC', 'YYYYMMDD')::integer AS date_key,
           current_setting('almanac.run_id')::bigint
    FROM ready
    ON CONFLICT (session_id) DO UPDATE
    SET b2c_user_id = excluded.b2c_user_id, device = excluded.device,
        started_at = excluded.started_at, ended_at = excluded.ended_at,
        duration_s = excluded.duration_s, date_key = excluded.date_key,
        etl_run_id = excluded.etl_run_id
)
UPDATE etl.rejects AS r
SET resolved_run_id = current_setting('almanac.run_id')::bigint, resolution = 'loaded'
FROM ready
WHERE r.reject_id = ready.reject_id;

MERGE INTO dw.fact_session_step AS f
USING (SELECT id, session_id, step, occurred_at,
              CASE step WHEN 'upload' THEN 1 WHEN 'style' THEN 2
                         WHEN 'generate' THEN 3 WHEN 'download' THEN 4 END AS step_no,
              to_char(occurred_at AT TIME ZONE 'UTC', 'YYYYMMDD')::integer AS date_key,
              current_setting('almanac.run_id')::bigint AS etl_run_id
       FROM staging.session_steps
       WHERE _reject_code IS NULL
         AND NOT EXISTS (SELECT 1 FROM etl.deferred_indexes d
                         WHERE d.table_name = 'dw.fact_session_step'::regclass)
         AND id <= (SELECT coalesce(max(m.session_step_id), -9223372036854775808)
                    FROM dw.fact_session_step m)) AS s
ON f.session_step_id = s.id
WHEN MATCHED AND (f.session_id, f.step, f.occurred_at)
                 IS DISTINCT FROM
                 (s.session_id, s.step, s.occurred_at) THEN
    UPDATE SET session_id = s.session_id, step = s.step, occurred_at = s.occurred_at,
               step_no = s.step_no, date_key = s.date_key, etl_run_id = s.etl_run_id
WHEN NOT MATCHED THEN
    INSERT (session_step_id, session_id, step, occurred_at, step_no, date_key, etl_run_id)
    VALUES (s.id, s.session_id, s.step, s.occurred_at, s.step_no, s.date_key, s.etl_run_id);

-- A first load (the fact was empty at begin.sql) appends the batch as it
-- comes; any other run the rows above the fact's highest id, in id order
-- (see 30_platform_facts.sql).
INSERT INTO dw.fact_session_step (session_step_id, session_id, step, occurred_at, step_no, date_key, etl_run_id)
WITH s AS NOT MATERIALIZED (
    SELECT id, session_id, step, occurred_at,
           CASE step WHEN 'upload' THEN 1 WHEN 'style' THEN 2
                      WHEN 'generate' THEN 3 WHEN 'download' THEN 4 END AS step_no,
           to_char(occurred_at AT TIME ZONE 'UTC', 'YYYYMMDD')::integer AS date_key,
           current_setting('almanac.run_id')::bigint AS etl_run_id
    FROM staging.session_steps
    WHERE _reject_code IS NULL
)
SELECT s.id, s.session_id, s.step, s.occurred_at, s.step_no, s.date_key, s.etl_run_id
FROM s
WHERE EXISTS (SELECT 1 FROM etl.deferred_indexes d
              WHERE d.table_name = 'dw.fact_session_step'::regclass)
UNION ALL
(SELECT s.id, s.session_id, s.step, s.occurred_at, s.step_no, s.date_key, s.etl_run_id
 FROM s
 WHERE NOT EXISTS (SELECT 1 FROM etl.deferred_indexes d
                   WHERE d.table_name = 'dw.fact_session_step'::regclass)
   AND s.id > (SELECT coalesce(max(m.session_step_id), -9223372036854775808)
               FROM dw.fact_session_step m)
 ORDER BY s.id);
SELECT etl.restore_indexes('dw.fact_session_step');  -- deferred by a first load (begin.sql)

-- Rows of session_steps quarantined earlier as orphans, not re-read in this
-- batch, that would pass now: load them from the reject's stored values and
-- close the reject (resolution 'loaded').
WITH retry AS (
    SELECT r.reject_id, t.*
    FROM etl.rejects r
    CROSS JOIN LATERAL jsonb_populate_record(NULL::staging.session_steps,
                                             r.raw_row::jsonb) AS t
    WHERE r.source_table = 'session_steps'
      AND r.reason_code = 'orphan_reference'
      AND r.resolved_run_id IS NULL
      AND r.last_seen_run_id <> current_setting('almanac.run_id')::bigint
),
ready AS (
    SELECT t.*
    FROM retry t
    WHERE (t.session_id IS NULL
           OR EXISTS (SELECT 1 FROM dw.fact_session p WHERE p.session_id = t.session_id))
),
loaded AS (
    INSERT INTO dw.fact_session_step AS f (session_step_id, session_id, step, occurred_at,
                                           step_no, date_key, etl_run_id)
    SELECT id, session_id, step, occurred_at,
           CASE step WHEN 'upload' THEN 1 WHEN 'style' THEN 2
                         WHEN 'generate' THEN 3 WHEN 'download' THEN 4 END AS step_no,
           to_char(occurred_at AT TIME ZONE 'UTC', 'YYYYMMDD')::integer AS date_key,
           current_setting('almanac.run_id')::bigint
    FROM ready
    ON CONFLICT (session_step_id) DO UPDATE
    SET session_id = excluded.session_id, step = excluded.step,
        occurred_at = excluded.occurred_at, step_no = excluded.step_no,
        date_key = excluded.date_key, etl_run_id = excluded.etl_run_id
)
UPDATE etl.rejects AS r
SET resolved_run_id = current_setting('almanac.run_id')::bigint, resolution = 'loaded'
FROM ready
WHERE r.reject_id = ready.reject_id;
