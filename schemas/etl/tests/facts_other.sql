-- Data tests of the smaller facts (health checks, API requests, activity,
-- sessions and steps, subscriptions, partner applications), on the rows this
-- run wrote (earlier rows passed when their run committed, and dimension
-- rows are never deleted): required values, accepted values, no negative
-- amounts, relationships, date keys.
-- One row per failing check: problem, failing_rows, examples (first keys).
-- dw.fact_health_check
(
    WITH checked AS (
        SELECT f.health_check_id AS key,
               coalesce(f.component IS NULL, false) AS component_null,
               coalesce(f.checked_at IS NULL, false) AS checked_at_null,
               coalesce(f.status IS NULL, false) AS status_null,
               coalesce(f.component NOT IN ('api', 'database', 'image_provider', 'storage'), false) AS component_value,
               coalesce(f.status NOT IN ('up', 'down'), false) AS status_value,
               coalesce(f.response_ms < 0, false) AS response_ms_negative,
               coalesce(f.date_key IS NULL AND f.checked_at IS NOT NULL, false) AS date_key_null,
               coalesce(f.date_key IS NOT NULL AND d.date_key IS NULL, false) AS date_key_dangling,
               coalesce(d.date <> (f.checked_at AT TIME ZONE 'UTC')::date, false) AS date_key_wrong
        FROM dw.fact_health_check f
        LEFT JOIN dw.dim_date d ON d.date_key = f.date_key
        WHERE f.etl_run_id = current_setting('almanac.run_id')::bigint
    ),
    failed AS (
        SELECT * FROM checked
        WHERE component_null
           OR checked_at_null
           OR status_null
           OR component_value
           OR status_value
           OR response_ms_negative
           OR date_key_null
           OR date_key_dangling
           OR date_key_wrong
    )
    SELECT p.problem, count(*) AS failing_rows,
           array_to_string((array_agg(c.key ORDER BY c.key))[1:5], ', ') AS examples
    FROM failed c
    CROSS JOIN LATERAL (VALUES
        (c.component_null, 'not_null: dw.fact_health_check.component is NULL'),
        (c.checked_at_null, 'not_null: dw.fact_health_check.checked_at is NULL'),
        (c.status_null, 'not_null: dw.fact_health_check.status is NULL'),
        (c.component_value, 'accepted_values: dw.fact_health_check.component not in (api, database, image_provider, storage)'),
        (c.status_value, 'accepted_values: dw.fact_health_check.status not in (up, down)'),
        (c.response_ms_negative, 'accepted_values: dw.fact_health_check.response_ms is negative'),
        (c.date_key_null, 'not_null: dw.fact_health_check.date_key is NULL'),
        (c.date_key_dangling, 'relationships: dw.fact_health_check.date_key not in dw.dim_date'),
        (c.date_key_wrong, 'dw.fact_health_check.date_key is not the UTC day of checked_at')
    ) AS p (failed, problem)
    WHERE p.failed
    GROUP BY p.problem
)
UNION ALL
-- dw.fact_api_request
(
    WITH checked AS (
        SELECT f.api_request_id AS key,
               coalesce(f.requested_at IS NULL, false) AS requested_at_null,
               coalesce(f.method IS NULL, false) AS method_null,
               coalesce(f.endpoint IS NULL, false) AS endpoint_null,
               coalesce(f.status_code IS NULL, false) AS status_code_null,
               coalesce(f.method NOT IN ('GET', 'POST', 'PUT', 'PATCH', 'DELETE'), false) AS method_value,
               coalesce(f.status_code NOT BETWEEN 100 AND 599, false) AS status_code_range,
               coalesce(f.duration_ms < 0, false) AS duration_ms_negative,
               coalesce(f.date_key IS NULL AND f.requested_at IS NOT NULL, false) AS date_key_null,
               coalesce(f.date_key IS NOT NULL AND d.date_key IS NULL, false) AS date_key_dangling,
               coalesce(d.date <> (f.requested_at AT TIME ZONE 'UTC')::date, false) AS date_key_wrong
        FROM dw.fact_api_request f
        LEFT JOIN dw.dim_date d ON d.date_key = f.date_key
        WHERE f.etl_run_id = current_setting('almanac.run_id')::bigint
    ),
    failed AS (
        SELECT * FROM checked
        WHERE requested_at_null
           OR method_null
           OR endpoint_null
           OR status_code_null
           OR method_value
           OR status_code_range
           OR duration_ms_negative
           OR date_key_null
           OR date_key_dangling
           OR date_key_wrong
    )
    SELECT p.problem, count(*) AS failing_rows,
           array_to_string((array_agg(c.key ORDER BY c.key))[1:5], ', ') AS examples
    FROM failed c
    CROSS JOIN LATERAL (VALUES
        (c.requested_at_null, 'not_null: dw.fact_api_request.requested_at is NULL'),
        (c.method_null, 'not_null: dw.fact_api_request.method is NULL'),
        (c.endpoint_null, 'not_null: dw.fact_api_request.endpoint is NULL'),
        (c.status_code_null, 'not_null: dw.fact_api_request.status_code is NULL'),
        (c.method_value, 'accepted_values: dw.fact_api_request.method not in (GET, POST, PUT, PATCH, DELETE)'),
        (c.status_code_range, 'accepted_values: dw.fact_api_request.status_code not in 100..599'),
        (c.duration_ms_negative, 'accepted_values: dw.fact_api_request.duration_ms is negative'),
        (c.date_key_null, 'not_null: dw.fact_api_request.date_key is NULL'),
        (c.date_key_dangling, 'relationships: dw.fact_api_request.date_key not in dw.dim_date'),
        (c.date_key_wrong, 'dw.fact_api_request.date_key is not the UTC day of requested_at')
    ) AS p (failed, problem)
    WHERE p.failed
    GROUP BY p.problem
)
UNION ALL
-- dw.fact_activity
(
    WITH checked AS (
        SELECT f.activity_id AS key,
               coalesce(f.occurred_at IS NULL, false) AS occurred_at_null,
               coalesce(f.actor IS NULL, false) AS actor_null,
               coalesce(f.actor_type IS NULL, false) AS actor_type_null,
               coalesce(f.action IS NULL, false) AS action_null,
               coalesce(f.actor_type NOT IN ('admin', 'partner', 'b2c_user', 'system'), false) AS actor_type_value,
               coalesce(jsonb_typeof(f.details) <> 'object', false) AS details_not_object,
               coalesce(f.date_key IS NULL AND f.occurred_at IS NOT NULL, false) AS date_key_null,
               coalesce(f.date_key IS NOT NULL AND d.date_key IS NULL, false) AS date_key_dangling,
               coalesce(d.date <> (f.occurred_at AT TIME ZONE 'UTC')::date, false) AS date_key_wrong
        FROM dw.fact_activity f
        LEFT JOIN dw.dim_date d ON d.date_key = f.date_key
        WHERE f.etl_run_id = current_setting('almanac.run_id')::bigint
    ),
    failed AS (
        SELECT * FROM checked
        WHERE occurred_at_null
           OR actor_null
           OR actor_type_null
           OR action_null
           OR actor_type_value
           OR details_not_object
           OR date_key_null
           OR date_key_dangling
           OR date_key_wrong
    )
    SELECT p.problem, count(*) AS failing_rows,
           array_to_string((array_agg(c.key ORDER BY c.key))[1:5], ', ') AS examples
    FROM failed c
    CROSS JOIN LATERAL (VALUES
        (c.occurred_at_null, 'not_null: dw.fact_activity.occurred_at is NULL'),
        (c.actor_null, 'not_null: dw.fact_activity.actor is NULL'),
        (c.actor_type_null, 'not_null: dw.fact_activity.actor_type is NULL'),
        (c.action_null, 'not_null: dw.fact_activity.action is NULL'),
        (c.actor_type_value, 'accepted_values: dw.fact_activity.actor_type not in (admin, partner, b2c_user, system)'),
        (c.details_not_object, 'accepted_values: dw.fact_activity.details is not a JSON object'),
        (c.date_key_null, 'not_null: dw.fact_activity.date_key is NULL'),
        (c.date_key_dangling, 'relationships: dw.fact_activity.date_key not in dw.dim_date'),
        (c.date_key_wrong, 'dw.fact_activity.date_key is not the UTC day of occurred_at')
    ) AS p (failed, problem)
    WHERE p.failed
    GROUP BY p.problem
)
UNION ALL
-- dw.fact_session
(
    WITH checked AS (
        SELECT f.session_id AS key,
               coalesce(f.b2c_user_id IS NULL, false) AS b2c_user_id_null,
               coalesce(f.started_at IS NULL, false) AS started_at_null,
               coalesce(f.device NOT IN ('web', 'ios', 'android'), false) AS device_value,
               coalesce(f.b2c_user_id IS NOT NULL AND u.b2c_user_id IS NULL, false) AS b2c_user_id_dangling,
               coalesce(f.date_key IS NULL AND f.started_at IS NOT NULL, false) AS date_key_null,
               coalesce(f.date_key IS NOT NULL AND d.date_key IS NULL, false) AS date_key_dangling,
               coalesce(d.date <> (f.started_at AT TIME ZONE 'UTC')::date, false) AS date_key_wrong
        FROM dw.fact_session f
        LEFT JOIN dw.dim_b2c_user u ON u.b2c_user_id = f.b2c_user_id
        LEFT JOIN dw.dim_date d ON d.date_key = f.date_key
        WHERE f.etl_run_id = current_setting('almanac.run_id')::bigint
    ),
    failed AS (
        SELECT * FROM checked
        WHERE b2c_user_id_null
           OR started_at_null
           OR device_value
           OR b2c_user_id_dangling
           OR date_key_null
           OR date_key_dangling
           OR date_key_wrong
    )
    SELECT p.problem, count(*) AS failing_rows,
           array_to_string((array_agg(c.key ORDER BY c.key))[1:5], ', ') AS examples
    FROM failed c
    CROSS JOIN LATERAL (VALUES
        (c.b2c_user_id_null, 'not_null: dw.fact_session.b2c_user_id is NULL'),
        (c.started_at_null, 'not_null: dw.fact_session.started_at is NULL'),
        (c.device_value, 'accepted_values: dw.fact_session.device not in (web, ios, android)'),
        (c.b2c_user_id_dangling, 'relationships: dw.fact_session.b2c_user_id not in dw.dim_b2c_user'),
        (c.date_key_null, 'not_null: dw.fact_session.date_key is NULL'),
        (c.date_key_dangling, 'relationships: dw.fact_session.date_key not in dw.dim_date'),
        (c.date_key_wrong, 'dw.fact_session.date_key is not the UTC day of started_at')
    ) AS p (failed, problem)
    WHERE p.failed
    GROUP BY p.problem
)
UNION ALL
-- dw.fact_session_step
(
    WITH checked AS (
        SELECT f.session_step_id AS key,
               coalesce(f.session_id IS NULL, false) AS session_id_null,
               coalesce(f.step IS NULL, false) AS step_null,
               coalesce(f.occurred_at IS NULL, false) AS occurred_at_null,
               coalesce(f.step NOT IN ('upload', 'style', 'generate', 'download'), false) AS step_value,
               coalesce(f.session_id IS NOT NULL AND s.session_id IS NULL, false) AS session_id_dangling,
               coalesce(f.date_key IS NULL AND f.occurred_at IS NOT NULL, false) AS date_key_null,
               coalesce(f.date_key IS NOT NULL AND d.date_key IS NULL, false) AS date_key_dangling,
               coalesce(d.date <> (f.occurred_at AT TIME ZONE 'UTC')::date, false) AS date_key_wrong
        FROM dw.fact_session_step f
        LEFT JOIN dw.fact_session s ON s.session_id = f.session_id
        LEFT JOIN dw.dim_date d ON d.date_key = f.date_key
        WHERE f.etl_run_id = current_setting('almanac.run_id')::bigint
    ),
    failed AS (
        SELECT * FROM checked
        WHERE session_id_null
           OR step_null
           OR occurred_at_null
           OR step_value
           OR session_id_dangling
           OR date_key_null
           OR date_key_dangling
           OR date_key_wrong
    )
    SELECT p.problem, count(*) AS failing_rows,
           array_to_string((array_agg(c.key ORDER BY c.key))[1:5], ', ') AS examples
    FROM failed c
    CROSS JOIN LATERAL (VALUES
        (c.session_id_null, 'not_null: dw.fact_session_step.session_id is NULL'),
        (c.step_null, 'not_null: dw.fact_session_step.step is NULL'),
        (c.occurred_at_null, 'not_null: dw.fact_session_step.occurred_at is NULL'),
        (c.step_value, 'accepted_values: dw.fact_session_step.step not in (upload, style, generate, download)'),
        (c.session_id_dangling, 'relationships: dw.fact_session_step.session_id not in dw.fact_session'),
        (c.date_key_null, 'not_null: dw.fact_session_step.date_key is NULL'),
        (c.date_key_dangling, 'relationships: dw.fact_session_step.date_key not in dw.dim_date'),
        (c.date_key_wrong, 'dw.fact_session_step.date_key is not the UTC day of occurred_at')
    ) AS p (failed, problem)
    WHERE p.failed
    GROUP BY p.problem
)
UNION ALL
-- dw.fact_subscription
(
    WITH checked AS (
        SELECT f.subscription_id AS key,
               coalesce(f.b2c_user_id IS NULL, false) AS b2c_user_id_null,
               coalesce(f.plan IS NULL, false) AS plan_null,
               coalesce(f.started_at IS NULL, false) AS started_at_null,
               coalesce(f.plan NOT IN ('basic', 'pro'), false) AS plan_value,
               coalesce(f.monthly_fee_usd < 0, false) AS monthly_fee_usd_negative,
               coalesce(f.b2c_user_id IS NOT NULL AND u.b2c_user_id IS NULL, false) AS b2c_user_id_dangling,
               coalesce(f.start_date_key IS NULL AND f.started_at IS NOT NULL, false) AS start_date_key_null,
               coalesce(f.start_date_key IS NOT NULL AND d.date_key IS NULL, false) AS start_date_key_dangling,
               coalesce(d.date <> (f.started_at AT TIME ZONE 'UTC')::date, false) AS start_date_key_wrong
        FROM dw.fact_subscription f
        LEFT JOIN dw.dim_b2c_user u ON u.b2c_user_id = f.b2c_user_id
        LEFT JOIN dw.dim_date d ON d.date_key = f.start_date_key
        WHERE f.etl_run_id = current_setting('almanac.run_id')::bigint
    ),
    failed AS (
        SELECT * FROM checked
        WHERE b2c_user_id_null
           OR plan_null
           OR started_at_null
           OR plan_value
           OR monthly_fee_usd_negative
           OR b2c_user_id_dangling
           OR start_date_key_null
           OR start_date_key_dangling
           OR start_date_key_wrong
    )
    SELECT p.problem, count(*) AS failing_rows,
           array_to_string((array_agg(c.key ORDER BY c.key))[1:5], ', ') AS examples
    FROM failed c
    CROSS JOIN LATERAL (VALUES
        (c.b2c_user_id_null, 'not_null: dw.fact_subscription.b2c_user_id is NULL'),
        (c.plan_null, 'not_null: dw.fact_subscription.plan is NULL'),
        (c.started_at_null, 'not_null: dw.fact_subscription.started_at is NULL'),
        (c.plan_value, 'accepted_values: dw.fact_subscription.plan not in (basic, pro)'),
        (c.monthly_fee_usd_negative, 'accepted_values: dw.fact_subscription.monthly_fee_usd is negative'),
        (c.b2c_user_id_dangling, 'relationships: dw.fact_subscription.b2c_user_id not in dw.dim_b2c_user'),
        (c.start_date_key_null, 'not_null: dw.fact_subscription.start_date_key is NULL'),
        (c.start_date_key_dangling, 'relationships: dw.fact_subscription.start_date_key not in dw.dim_date'),
        (c.start_date_key_wrong, 'dw.fact_subscription.start_date_key is not the UTC day of started_at')
    ) AS p (failed, problem)
    WHERE p.failed
    GROUP BY p.problem
)
UNION ALL
-- dw.fact_partner_application
(
    WITH checked AS (
        SELECT f.application_id AS key,
               coalesce(f.company_name IS NULL, false) AS company_name_null,
               coalesce(f.contact_email IS NULL, false) AS contact_email_null,
               coalesce(f.submitted_at IS NULL, false) AS submitted_at_null,
               coalesce(f.status IS NULL, false) AS status_null,
               coalesce(f.status NOT IN ('pending', 'approved', 'rejected'), false) AS status_value,
               coalesce(f.partner_id IS NOT NULL AND p.partner_id IS NULL, false) AS partner_id_dangling,
               coalesce(f.submitted_date_key IS NULL AND f.submitted_at IS NOT NULL, false) AS submitted_date_key_null,
               coalesce(f.submitted_date_key IS NOT NULL AND d.date_key IS NULL, false) AS submitted_date_key_dangling,
               coalesce(d.date <> (f.submitted_at AT TIME ZONE 'UTC')::date, false) AS submitted_date_key_wrong
        FROM dw.fact_partner_application f
        LEFT JOIN dw.partner_latest p ON p.partner_id = f.partner_id
        LEFT JOIN dw.dim_date d ON d.date_key = f.submitted_date_key
        WHERE f.etl_run_id = current_setting('almanac.run_id')::bigint
    ),
    failed AS (
        SELECT * FROM checked
        WHERE company_name_null
           OR contact_email_null
           OR submitted_at_null
           OR status_null
           OR status_value
           OR partner_id_dangling
           OR submitted_date_key_null
           OR submitted_date_key_dangling
           OR submitted_date_key_wrong
    )
    SELECT p.problem, count(*) AS failing_rows,
           array_to_string((array_agg(c.key ORDER BY c.key))[1:5], ', ') AS examples
    FROM failed c
    CROSS JOIN LATERAL (VALUES
        (c.company_name_null, 'not_null: dw.fact_partner_application.company_name is NULL'),
        (c.contact_email_null, 'not_null: dw.fact_partner_application.contact_email is NULL'),
        (c.submitted_at_null, 'not_null: dw.fact_partner_application.submitted_at is NULL'),
        (c.status_null, 'not_null: dw.fact_partner_application.status is NULL'),
        (c.status_value, 'accepted_values: dw.fact_partner_application.status not in (pending, approved, rejected)'),
        (c.partner_id_dangling, 'relationships: dw.fact_partner_application.partner_id not in dw.partner_latest'),
        (c.submitted_date_key_null, 'not_null: dw.fact_partner_application.submitted_date_key is NULL'),
        (c.submitted_date_key_dangling, 'relationships: dw.fact_partner_application.submitted_date_key not in dw.dim_date'),
        (c.submitted_date_key_wrong, 'dw.fact_partner_application.submitted_date_key is not the UTC day of submitted_at')
    ) AS p (failed, problem)
    WHERE p.failed
    GROUP BY p.problem
)
