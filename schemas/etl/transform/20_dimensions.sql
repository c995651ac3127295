-- Type 1 dimensions: styles, B2C users, events, loyalty brands, perks and
-- rewards. Good staging rows are merged by source id; a row is rewritten
-- only when a value changed, so re-running a batch changes nothing and
-- etl_run_id keeps naming the run that last changed the row. Runs after
-- 10_partners.sql: retried events need their partner loaded.
-- Needs almanac.run_id.

MERGE INTO dw.dim_style AS f
USING (SELECT id, name, category, active, created_at,
              current_setting('almanac.run_id')::bigint AS etl_run_id
       FROM staging.styles
       WHERE _reject_code IS NULL) AS s
ON f.style_id = s.id
WHEN MATCHED AND (f.name, f.category, f.active, f.created_at)
                 IS DISTINCT FROM
                 (s.name, s.category, s.active, s.created_at) THEN
    UPDATE SET name = s.name, category = s.category, active = s.active,
               created_at = s.created_at, etl_run_id = s.etl_run_id
WHEN NOT MATCHED THEN
    INSERT (style_id, name, category, active, created_at, etl_run_id)
    VALUES (s.id, s.name, s.category, s.active, s.created_at, s.etl_run_id);

-- Only the signup time and country: no personal data in the warehouse.
MERGE INTO dw.dim_b2c_user AS f
USING (SELECT id, country, created_at AS signed_up_at,
              to_char(created_at AT TIME ZONE 'UTC', 'YYYYMMDD')::integer AS signup_date_key,
              current_setting('almanac.run_id')::bigint AS etl_run_id
       FROM staging.b2c_users
       WHERE _reject_code IS NULL) AS s
ON f.b2c_user_id = s.id
WHEN MATCHED AND (f.country, f.signed_up_at)
                 IS DISTINCT FROM
                 (s.country, s.signed_up_at) THEN
    UPDATE SET country = s.country, signed_up_at = s.signed_up_at,
               signup_date_key = s.signup_date_key, etl_run_id = s.etl_run_id
WHEN NOT MATCHED THEN
    INSERT (b2c_user_id, country, signed_up_at, signup_date_key, etl_run_id)
    VALUES (s.id, s.country, s.signed_up_at, s.signup_date_key, s.etl_run_id);

MERGE INTO dw.dim_event AS f
USING (SELECT id, partner_id, name, slug, event_type, client_name, event_date,
              credits_allocated, created_at,
              to_char(event_date, 'YYYYMMDD')::integer AS event_date_key,
              current_setting('almanac.run_id')::bigint AS etl_run_id
       FROM staging.events
       WHERE _reject_code IS NULL) AS s
ON f.event_id = s.id
WHEN MATCHED AND (f.partner_id, f.name, f.slug, f.event_type, f.client_name, f.event_date,
                  f.credits_allocated, f.created_at)
                 IS DISTINCT FROM
                 (s.partner_id, s.name, s.slug, s.event_type, s.client_name, s.event_date,
                  s.credits_allocated, s.created_at) THEN
    UPDATE SET partner_id = s.partner_id, name = s.name, slug = s.slug,
               event_type = s.event_type, client_name = s.client_name,
               event_date = s.event_date, credits_allocated = s.credits_allocated,
               created_at = s.created_at, event_date_key = s.event_date_key,
               etl_run_id = s.etl_run_id
WHEN NOT MATCHED THEN
    INSERT (event_id, partner_id, name, slug, event_type, client_name, event_date,
            credits_allocated, created_at, event_date_key, etl_run_id)
    VALUES (s.id, s.partner_id, s.name, s.slug, s.event_type, s.client_name, s.event_date,
            s.credits_allocated, s.created_at, s.event_date_key, s.etl_run_id);

-- Rows of events quarantined earlier as orphans, not re-read in this batch,
-- that would pass now: load them from the reject's stored values and close the
-- reject (resolution 'loaded').
WITH retry AS (
    SELECT r.reject_id, t.*
    FROM etl.rejects r
    CROSS JOIN LATERAL jsonb_populate_record(NULL::staging.events,
                                             r.raw_row::jsonb) AS t
    WHERE r.source_table = 'events'
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
    INSERT INTO dw.dim_event AS f (event_id, partner_id, name, slug, event_type, client_name,
                                   event_date, credits_allocated, created_at, event_date_key,
                                   etl_run_id)
    SELECT id, partner_id, name, slug, event_type, client_name, event_date, credits_allocated,
           created_at, to_char(event_date, 'YYYYMMDD')::integer AS event_date_key,
           current_setting('almanac.run_id')::bigint
    FROM ready
    ON CONFLICT (event_id) DO UPDATE
    SET partner_id = excluded.partner_id, name = excluded.name, slug = excluded.slug,
        event_type = excluded.event_type, client_name = excluded.client_name,
        event_date = excluded.event_date, credits_allocated = excluded.credits_allocated,
        created_at = excluded.created_at, event_date_key = excluded.event_date_key,
        etl_run_id = excluded.etl_run_id
)
UPDATE etl.rejects AS r
SET resolved_run_id = current_setting('almanac.run_id')::bigint, resolution = 'loaded'
FROM ready
WHERE r.reject_id = ready.reject_id;

MERGE INTO dw.dim_brand AS f
USING (SELECT id, name, created_at, current_setting('almanac.run_id')::bigint AS etl_run_id
       FROM staging.loyalty_brands
       WHERE _reject_code IS NULL) AS s
ON f.brand_id = s.id
WHEN MATCHED AND (f.name, f.created_at)
                 IS DISTINCT FROM
                 (s.name, s.created_at) THEN
    UPDATE SET name = s.name, created_at = s.created_at, etl_run_id = s.etl_run_id
WHEN NOT MATCHED THEN
    INSERT (brand_id, name, created_at, etl_run_id)
    VALUES (s.id, s.name, s.created_at, s.etl_run_id);

MERGE INTO dw.dim_perk AS f
USING (SELECT id, brand_id, name, price_rsnc, value_usd, total_supply, active, created_at,
              current_setting('almanac.run_id')::bigint AS etl_run_id
       FROM staging.loyalty_perks
       WHERE _reject_code IS NULL) AS s
ON f.perk_id = s.id
WHEN MATCHED AND (f.brand_id, f.name, f.price_rsnc, f.value_usd, f.total_supply, f.active,
                  f.created_at)
                 IS DISTINCT FROM
                 (s.brand_id, s.name, s.price_rsnc, s.value_usd, s.total_supply, s.active,
                  s.created_at) THEN
    UPDATE SET brand_id = s.brand_id, name = s.name, price_rsnc = s.price_rsnc,
               value_usd = s.value_usd, total_supply = s.total_supply, active = s.active,
               created_at = s.created_at, etl_run_id = s.etl_run_id
WHEN NOT MATCHED THEN
    INSERT (perk_id, brand_id, name, price_rsnc, value_usd, total_supply, active, created_at,
            etl_run_id)
    VALUES (s.id, s.brand_id, s.name, s.price_rsnc, s.value_usd, s.total_supply, s.active,
            s.created_at, s.etl_run_id);

-- Rows of loyalty_perks quarantined earlier as orphans, not re-read in this
-- batch, that would pass now: load them from the reject's stored values and
-- close the reject (resolution 'loaded').
WITH retry AS (
    SELECT r.reject_id, t.*
    FROM etl.rejects r
    CROSS JOIN LATERAL jsonb_populate_record(NULL::staging.loyalty_perks,
                                             r.raw_row::jsonb) AS t
    WHERE r.source_table = 'loyalty_perks'
      AND r.reason_code = 'orphan_reference'
      AND r.resolved_run_id IS NULL
      AND r.last_seen_run_id <> current_setting('almanac.run_id')::bigint
),
ready AS (
    SELECT t.*
    FROM retry t
    WHERE (t.brand_id IS NULL
           OR EXISTS (SELECT 1 FROM dw.dim_brand p WHERE p.brand_id = t.brand_id))
),
loaded AS (
    INSERT INTO dw.dim_perk AS f (perk_id, brand_id, name, price_rsnc, value_usd, total_supply,
                                  active, created_at, etl_run_id)
    SELECT id, brand_id, name, price_rsnc, value_usd, total_supply, active, created_at,
           current_setting('almanac.run_id')::bigint
    FROM ready
    ON CONFLICT (perk_id) DO UPDATE
    SET brand_id = excluded.brand_id, name = excluded.name, price_rsnc = excluded.price_rsnc,
        value_usd = excluded.value_usd, total_supply = excluded.total_supply,
        active = excluded.active, created_at = excluded.created_at,
        etl_run_id = excluded.etl_run_id
)
UPDATE etl.rejects AS r
SET resolved_run_id = current_setting('almanac.run_id')::bigint, resolution = 'loaded'
FROM ready
WHERE r.reject_id = ready.reject_id;

MERGE INTO dw.dim_reward AS f
USING (SELECT id, brand_id, name, rsnc_amount, active, created_at, deactivated_at,
              current_setting('almanac.run_id')::bigint AS etl_run_id
       FROM staging.loyalty_rewards
       WHERE _reject_code IS NULL) AS s
ON f.reward_id = s.id
WHEN MATCHED AND (f.brand_id, f.name, f.rsnc_amount, f.active, f.created_at, f.deactivated_at)
                 IS DISTINCT FROM
                 (s.brand_id, s.name, s.rsnc_amount, s.active, s.created_at, s.deactivated_at) THEN
    UPDATE SET brand_id = s.brand_id, name = s.name, rsnc_amount = s.rsnc_amount,
               active = s.active, created_at = s.created_at, deactivated_at = s.deactivated_at,
               etl_run_id = s.etl_run_id
WHEN NOT MATCHED THEN
    INSERT (reward_id, brand_id, name, rsnc_amount, active, created_at, deactivated_at,
            etl_run_id)
    VALUES (s.id, s.brand_id, s.name, s.rsnc_amount, s.active, s.created_at, s.deactivated_at,
            s.etl_run_id);

-- Rows of loyalty_rewards quarantined earlier as orphans, not re-read in this
-- batch, that would pass now: load them from the reject's stored values and
-- close the reject (resolution 'loaded').
WITH retry AS (
    SELECT r.reject_id, t.*
    FROM etl.rejects r
    CROSS JOIN LATERAL jsonb_populate_record(NULL::staging.loyalty_rewards,
                                             r.raw_row::jsonb) AS t
    WHERE r.source_table = 'loyalty_rewards'
      AND r.reason_code = 'orphan_reference'
      AND r.resolved_run_id IS NULL
      AND r.last_seen_run_id <> current_setting('almanac.run_id')::bigint
),
ready AS (
    SELECT t.*
    FROM retry t
    WHERE (t.brand_id IS NULL
           OR EXISTS (SELECT 1 FROM dw.dim_brand p WHERE p.brand_id = t.brand_id))
),
loaded AS (
    INSERT INTO dw.dim_reward AS f (reward_id, brand_id, name, rsnc_amount, active, created_at,
                                    deactivated_at, etl_run_id)
    SELECT id, brand_id, name, rsnc_amount, active, created_at, deactivated_at,
           current_setting('almanac.run_id')::bigint
    FROM ready
    ON CONFLICT (reward_id) DO UPDATE
    SET brand_id = excluded.brand_id, name = excluded.name, rsnc_amount = excluded.rsnc_amount,
        active = excluded.active, created_at = excluded.created_at,
        deactivated_at = excluded.deactivated_at, etl_run_id = excluded.etl_run_id
)
UPDATE etl.rejects AS r
SET resolved_run_id = current_setting('almanac.run_id')::bigint, resolution = 'loaded'
FROM ready
WHERE r.reject_id = ready.reject_id;
