-- Data tests of the type 1 dimensions, on the rows this run wrote:
-- required values, accepted values, amounts, relationships, date keys.
-- Earlier rows passed when their run committed; a row is rewritten (and
-- takes the run's id) whenever a value changes (20_dimensions.sql), and
-- the parents a relationship points to (partner_latest, dim_brand,
-- dim_date) never lose rows, so an unchanged row cannot start failing.
-- On a first load every row is this run's: the tables are checked whole.
-- Reading dim_event whole (343,000 rows at scale 10) cost 0.25-0.45 s on
-- every run, one with nothing new included; its rows of the run are found
-- by a scan of etl_run_id alone, the joins only for those.
-- One row per failing check: problem, failing_rows, examples (first keys).
-- dw.dim_event
(
    WITH checked AS (
        SELECT f.event_id AS key,
               coalesce(f.partner_id IS NULL, false) AS partner_id_null,
               coalesce(f.name IS NULL, false) AS name_null,
               coalesce(f.slug IS NULL, false) AS slug_null,
               coalesce(f.event_type IS NULL, false) AS event_type_null,
               coalesce(f.event_date IS NULL, false) AS event_date_null,
               coalesce(f.event_type NOT IN ('wedding', 'corporate', 'holiday', 'other'), false) AS event_type_value,
               coalesce(f.credits_allocated < 0, false) AS credits_allocated_negative,
               coalesce(f.partner_id IS NOT NULL AND p.partner_id IS NULL, false) AS partner_id_dangling,
               coalesce(d.date IS DISTINCT FROM f.event_date, false) AS event_date_key_wrong
        FROM dw.dim_event f
        LEFT JOIN dw.partner_latest p ON p.partner_id = f.partner_id
        LEFT JOIN dw.dim_date d ON d.date_key = f.event_date_key
        WHERE f.etl_run_id = current_setting('almanac.run_id')::bigint
    ),
    failed AS (
        SELECT * FROM checked
        WHERE partner_id_null
           OR name_null
           OR slug_null
           OR event_type_null
           OR event_date_null
           OR event_type_value
           OR credits_allocated_negative
           OR partner_id_dangling
           OR event_date_key_wrong
    )
    SELECT p.problem, count(*) AS failing_rows,
           array_to_string((array_agg(c.key ORDER BY c.key))[1:5], ', ') AS examples
    FROM failed c
    CROSS JOIN LATERAL (VALUES
        (c.partner_id_null, 'not_null: dw.dim_event.partner_id is NULL'),
        (c.name_null, 'not_null: dw.dim_event.name is NULL'),
        (c.slug_null, 'not_null: dw.dim_event.slug is NULL'),
        (c.event_type_null, 'not_null: dw.dim_event.event_type is NULL'),
        (c.event_date_null, 'not_null: dw.dim_event.event_date is NULL'),
        (c.event_type_value, 'accepted_values: dw.dim_event.event_type not in (wedding, corporate, holiday, other)'),
        (c.credits_allocated_negative, 'accepted_values: dw.dim_event.credits_allocated is negative'),
        (c.partner_id_dangling, 'relationships: dw.dim_event.partner_id not in dw.partner_latest'),
        (c.event_date_key_wrong, 'dw.dim_event.event_date_key is not event_date (or not in dw.dim_date)')
    ) AS p (failed, problem)
    WHERE p.failed
    GROUP BY p.problem
)
UNION ALL
-- dw.dim_style
(
    WITH checked AS (
        SELECT f.style_id AS key,
               coalesce(f.name IS NULL, false) AS name_null,
               coalesce(f.category IS NULL, false) AS category_null,
               coalesce(f.category NOT IN ('portrait', 'artistic', 'vintage', 'cartoon', 'fantasy', 'seasonal'), false) AS category_value
        FROM dw.dim_style f
        WHERE f.etl_run_id = current_setting('almanac.run_id')::bigint
    ),
    failed AS (
        SELECT * FROM checked
        WHERE name_null
           OR category_null
           OR category_value
    )
    SELECT p.problem, count(*) AS failing_rows,
           array_to_string((array_agg(c.key ORDER BY c.key))[1:5], ', ') AS examples
    FROM failed c
    CROSS JOIN LATERAL (VALUES
        (c.name_null, 'not_null: dw.dim_style.name is NULL'),
        (c.category_null, 'not_null: dw.dim_style.category is NULL'),
        (c.category_value, 'accepted_values: dw.dim_style.category not in (portrait, artistic, vintage, cartoon, fantasy, seasonal)')
    ) AS p (failed, problem)
    WHERE p.failed
    GROUP BY p.problem
)
UNION ALL
-- dw.dim_b2c_user
(
    WITH checked AS (
        SELECT f.b2c_user_id AS key,
               coalesce(f.signed_up_at IS NULL, false) AS signed_up_at_null,
               coalesce(f.signup_date_key IS NULL AND f.signed_up_at IS NOT NULL, false) AS signup_date_key_null,
               coalesce(f.signup_date_key IS NOT NULL AND d.date_key IS NULL, false) AS signup_date_key_dangling,
               coalesce(d.date <> (f.signed_up_at AT TIME ZONE 'UTC')::date, false) AS signup_date_key_wrong
        FROM dw.dim_b2c_user f
        LEFT JOIN dw.dim_date d ON d.date_key = f.signup_date_key
        WHERE f.etl_run_id = current_setting('almanac.run_id')::bigint
    ),
    failed AS (
        SELECT * FROM checked
        WHERE signed_up_at_null
           OR signup_date_key_null
           OR signup_date_key_dangling
           OR signup_date_key_wrong
    )
    SELECT p.problem, count(*) AS failing_rows,
           array_to_string((array_agg(c.key ORDER BY c.key))[1:5], ', ') AS examples
    FROM failed c
    CROSS JOIN LATERAL (VALUES
        (c.signed_up_at_null, 'not_null: dw.dim_b2c_user.signed_up_at is NULL'),
        (c.signup_date_key_null, 'not_null: dw.dim_b2c_user.signup_date_key is NULL'),
        (c.signup_date_key_dangling, 'relationships: dw.dim_b2c_user.signup_date_key not in dw.dim_date'),
        (c.signup_date_key_wrong, 'dw.dim_b2c_user.signup_date_key is not the UTC day of signed_up_at')
    ) AS p (failed, problem)
    WHERE p.failed
    GROUP BY p.problem
)
UNION ALL
-- dw.dim_brand
(
    WITH checked AS (
        SELECT f.brand_id AS key,
               coalesce(f.name IS NULL, false) AS name_null
        FROM dw.dim_brand f
        WHERE f.etl_run_id = current_setting('almanac.run_id')::bigint
    ),
    failed AS (
        SELECT * FROM checked
        WHERE name_null
    )
    SELECT p.problem, count(*) AS failing_rows,
           array_to_string((array_agg(c.key ORDER BY c.key))[1:5], ', ') AS examples
    FROM failed c
    CROSS JOIN LATERAL (VALUES
        (c.name_null, 'not_null: dw.dim_brand.name is NULL')
    ) AS p (failed, problem)
    WHERE p.failed
    GROUP BY p.problem
)
UNION ALL
-- dw.dim_perk
(
    WITH checked AS (
        SELECT f.perk_id AS key,
               coalesce(f.brand_id IS NULL, false) AS brand_id_null,
               coalesce(f.name IS NULL, false) AS name_null,
               coalesce(f.price_rsnc <= 0, false) AS price_rsnc_not_positive,
               coalesce(f.total_supply <= 0, false) AS total_supply_not_positive,
               coalesce(f.value_usd < 0, false) AS value_usd_negative,
               coalesce(f.brand_id IS NOT NULL AND b.brand_id IS NULL, false) AS brand_id_dangling
        FROM dw.dim_perk f
        LEFT JOIN dw.dim_brand b ON b.brand_id = f.brand_id
        WHERE f.etl_run_id = current_setting('almanac.run_id')::bigint
    ),
    failed AS (
        SELECT * FROM checked
        WHERE brand_id_null
           OR name_null
           OR price_rsnc_not_positive
           OR total_supply_not_positive
           OR value_usd_negative
           OR brand_id_dangling
    )
    SELECT p.problem, count(*) AS failing_rows,
           array_to_string((array_agg(c.key ORDER BY c.key))[1:5], ', ') AS examples
    FROM failed c
    CROSS JOIN LATERAL (VALUES
        (c.brand_id_null, 'not_null: dw.dim_perk.brand_id is NULL'),
        (c.name_null, 'not_null: dw.dim_perk.name is NULL'),
        (c.price_rsnc_not_positive, 'accepted_values: dw.dim_perk.price_rsnc is not positive'),
        (c.total_supply_not_positive, 'accepted_values: dw.dim_perk.total_supply is not positive'),
        (c.value_usd_negative, 'accepted_values: dw.dim_perk.value_usd is negative'),
        (c.brand_id_dangling, 'relationships: dw.dim_perk.brand_id not in dw.dim_brand')
    ) AS p (failed, problem)
    WHERE p.failed
    GROUP BY p.problem
)
UNION ALL
-- dw.dim_reward
(
    WITH checked AS (
        SELECT f.reward_id AS key,
               coalesce(f.brand_id IS NULL, false) AS brand_id_null,
               coalesce(f.name IS NULL, false) AS name_null,
               coalesce(f.rsnc_amount <= 0, false) AS rsnc_amount_not_positive,
               coalesce(f.brand_id IS NOT NULL AND b.brand_id IS NULL, false) AS brand_id_dangling
        FROM dw.dim_reward f
        LEFT JOIN dw.dim_brand b ON b.brand_id = f.brand_id
        WHERE f.etl_run_id = current_setting('almanac.run_id')::bigint
    ),
    failed AS (
        SELECT * FROM checked
        WHERE brand_id_null
           OR name_null
           OR rsnc_amount_not_positive
           OR brand_id_dangling
    )
    SELECT p.problem, count(*) AS failing_rows,
           array_to_string((array_agg(c.key ORDER BY c.key))[1:5], ', ') AS examples
    FROM failed c
    CROSS JOIN LATERAL (VALUES
        (c.brand_id_null, 'not_null: dw.dim_reward.brand_id is NULL'),
        (c.name_null, 'not_null: dw.dim_reward.name is NULL'),
        (c.rsnc_amount_not_positive, 'accepted_values: dw.dim_reward.rsnc_amount is not positive'),
        (c.brand_id_dangling, 'relationships: dw.dim_reward.brand_id not in dw.dim_brand')
    ) AS p (failed, problem)
    WHERE p.failed
    GROUP BY p.problem
)
