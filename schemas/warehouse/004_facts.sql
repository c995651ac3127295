-- Facts.
--
-- Each fact keeps its source id as primary key: the ETL merges by it, so a
-- source row that changes later (a generation deleted, a subscription ended)
-- replaces the loaded values. Facts carry the durable natural ids of their
-- dimensions (partner_id, event_id, style_id, b2c_user_id, brand_id, perk_id,
-- reward_id, session_id), not surrogate keys: join dim_partner on partner_id
-- and pick the version valid at the fact's time, or the current one.
--
-- There are no foreign keys (they would cost a trigger per loaded row); the
-- data tests (schemas/etl/tests/) check that no key dangles before a run may
-- commit. Derived columns are computed by the transforms, not as generated
-- columns: on the big facts those cost more than the rest of the load.
--
-- Units: money in USD numeric(14,2); platform credits and RSNC points are
-- bigint counts. Times are timestamptz. date_key is the yyyymmdd of the UTC
-- calendar day: a convenience for joining dw.dim_date. KPI periods are cut
-- at midnight of the business time zone and must use the timestamptz column,
-- e.g. created_at >= timestamp '2026-10-01' AT TIME ZONE 'Europe/Madrid'.

-- One row per image generation (source generations). A generation is made
-- at a partner's event (event_id set) or by a B2C user (b2c_user_id set).
CREATE TABLE dw.fact_generation (
    generation_id bigint PRIMARY KEY,
    event_id      bigint,                 -- dim_event; partner channel
    b2c_user_id   bigint,                 -- dim_b2c_user; B2C channel
    style_id      bigint,                 -- dim_style
    status        text,                   -- completed | failed
    credits       bigint,                 -- credits charged (0 when failed)
    latency_ms    integer,                -- time to produce the image
    created_at    timestamptz,
    date_key      integer,                -- yyyymmdd of created_at's UTC day
    deleted_at    timestamptz,            -- when the user deleted the image; NULL if kept
    etl_run_id    bigint NOT NULL
);
COMMENT ON TABLE dw.fact_generation IS 'Grain: one row per image generation, at a partner event (event_id) or by a B2C user (b2c_user_id). Merged by generation_id: a later deletion shows in deleted_at.';

-- One row per credit or money movement (source credit_transactions).
-- credits and amount_usd are non-negative; kind gives the direction:
--   purchase     partner buys a pack      (partner_id, credits, amount_usd, pack_size, promo_code)
--   allocation   partner assigns to event (partner_id, event_id, credits)
--   consumption  used by generations      (partner_id + event_id, one row per event and day;
--                                          or b2c_user_id, one row per user and day)
--   refund       unused credits refunded  (partner_id or b2c_user_id, credits, amount_usd)
--   b2c_purchase B2C user buys a pack     (b2c_user_id, credits, amount_usd, pack_size, promo_code)
--   subscription monthly B2C fee          (b2c_user_id, amount_usd, credits granted)
CREATE TABLE dw.fact_credit_movement (
    credit_transaction_id bigint PRIMARY KEY,
    kind          text,
    partner_id    bigint,                 -- dim_partner (durable id)
    b2c_user_id   bigint,                 -- dim_b2c_user
    event_id      bigint,                 -- dim_event
    credits       bigint,                 -- credits moved, >= 0
    amount_usd    numeric(14,2),          -- money moved, >= 0; NULL when no money moves
    pack_size     integer,                -- credits in the pack bought (purchases)
    promo_code    text,                   -- promotion used; NULL if none
    actor         text,                   -- an email or 'system'
    description   text,                   -- free text typed by the actor
    created_at    timestamptz,
    date_key      integer,                -- yyyymmdd of created_at's UTC day
    etl_run_id    bigint NOT NULL
);
COMMENT ON TABLE dw.fact_credit_movement IS 'Grain: one row per credit transaction (purchase, allocation, consumption, refund, b2c_purchase, subscription). Amounts are non-negative; kind gives the direction.';

-- One row per B2C subscription (accumulating: ended_at fills in later).
CREATE TABLE dw.fact_subscription (
    subscription_id bigint PRIMARY KEY,
    b2c_user_id     bigint,               -- dim_b2c_user
    plan            text,                 -- basic | pro
    monthly_fee_usd numeric(14,2),
    started_at      timestamptz,
    ended_at        timestamptz,          -- NULL while running
    start_date_key  integer,              -- yyyymmdd of started_at's UTC day
    etl_run_id      bigint NOT NULL
);
COMMENT ON TABLE dw.fact_subscription IS 'Grain: one row per B2C subscription plan taken; ended_at is NULL while it runs. Fees actually charged are fact_credit_movement rows of kind subscription.';

-- One row per partner application (accumulating: decided later).
CREATE TABLE dw.fact_partner_application (
    application_id     bigint PRIMARY KEY,
    company_name       text,
    contact_email      text,
    status             text,              -- pending | approved | rejected
    submitted_at       timestamptz,
    decided_at         timestamptz,       -- NULL while pending
    response_seconds   numeric,           -- decided_at - submitted_at, in seconds
    partner_id         bigint,            -- dim_partner, once approved
    submitted_date_key integer,           -- yyyymmdd of submitted_at's UTC day
    etl_run_id         bigint NOT NULL
);
COMMENT ON TABLE dw.fact_partner_application IS 'Grain: one row per application to become a partner; decided_at and status fill in when an administrator answers.';

-- One row per probe of one component by the monitoring probe.
CREATE TABLE dw.fact_health_check (
    health_check_id bigint PRIMARY KEY,
    component       text,                 -- api | database | image_provider | storage
    checked_at      timestamptz,
    status          text,                 -- up | down
    response_ms     integer,              -- probe round trip; NULL when down
    date_key        integer,              -- yyyymmdd of checked_at's UTC day
    etl_run_id      bigint NOT NULL
);
COMMENT ON TABLE dw.fact_health_check IS 'Grain: one row per health check of one component.';

-- One row per request served by the public API.
CREATE TABLE dw.fact_api_request (
    api_request_id  bigint PRIMARY KEY,
    requested_at    timestamptz,
    method          text,                 -- GET | POST | PUT | PATCH | DELETE
    endpoint        text,                 -- route template, e.g. /v1/generations
    status_code     integer,              -- HTTP status; >= 500 counts as an error
    duration_ms     integer,
    api_key         text,                 -- key id (never the secret); NULL when anonymous
    client_ip       text,
    date_key        integer,              -- yyyymmdd of requested_at's UTC day
    etl_run_id      bigint NOT NULL
);
COMMENT ON TABLE dw.fact_api_request IS 'Grain: one row per API request.';

-- One row per audit-trail entry (logins, deletions, exports, failures).
CREATE TABLE dw.fact_activity (
    activity_id bigint PRIMARY KEY,
    occurred_at timestamptz,
    actor       text,                     -- email, API key id or 'system'
    actor_type  text,                     -- admin | partner | b2c_user | system
    action      text,                     -- see docs/source-schema.md
    ip          text,
    details     jsonb,                    -- JSON object; keys depend on the action
    date_key    integer,                  -- yyyymmdd of occurred_at's UTC day
    etl_run_id  bigint NOT NULL
);
COMMENT ON TABLE dw.fact_activity IS 'Grain: one row per activity/security log entry; details is the JSON object of the source.';

-- One row per B2C app session.
CREATE TABLE dw.fact_session (
    session_id  bigint PRIMARY KEY,
    b2c_user_id bigint,                   -- dim_b2c_user
    device      text,                     -- web | ios | android
    started_at  timestamptz,
    ended_at    timestamptz,              -- NULL if never closed
    duration_s  numeric,                  -- ended_at - started_at in seconds; NULL if never closed
    date_key    integer,                  -- yyyymmdd of started_at's UTC day
    etl_run_id  bigint NOT NULL
);
COMMENT ON TABLE dw.fact_session IS 'Grain: one row per B2C app session.';

-- One row per funnel step reached in a session.
CREATE TABLE dw.fact_session_step (
    session_step_id bigint PRIMARY KEY,
    session_id      bigint,               -- fact_session
    step            text,                 -- upload | style | generate | download
    step_no         smallint,             -- 1 upload, 2 style, 3 generate, 4 download
    occurred_at     timestamptz,
    date_key        integer,              -- yyyymmdd of occurred_at's UTC day
    etl_run_id      bigint NOT NULL
);
COMMENT ON TABLE dw.fact_session_step IS 'Grain: one row per funnel step reached in a session (upload -> style -> generate -> download).';

-- One row per loyalty transaction event.
--   purchase     brand deposits USD for RSNC   (usd_amount, rsnc_amount)
--   distribution RSNC awarded to a user        (user_ref, rsnc_amount, reward_id)
--   perk_claim   user redeems a perk           (user_ref, perk_id, rsnc_amount)
--   sellback     brand returns RSNC for USD    (rsnc_amount, usd_amount)
CREATE TABLE dw.fact_loyalty_transaction (
    loyalty_transaction_id bigint PRIMARY KEY,
    brand_id    bigint,                   -- dim_brand
    type        text,                     -- purchase | distribution | perk_claim | sellback
    user_ref    text,                     -- end user's wallet or member id
    perk_id     bigint,                   -- dim_perk (perk_claim)
    reward_id   bigint,                   -- dim_reward (distribution)
    usd_amount  numeric(14,2),            -- USD
    rsnc_amount bigint,                   -- RSNC points, > 0
    tx_hash     text UNIQUE,              -- 0x + 64 hex digits
    metadata    jsonb,                    -- JSON object
    created_at  timestamptz,
    date_key    integer,                  -- yyyymmdd of created_at's UTC day
    etl_run_id  bigint NOT NULL
);
COMMENT ON TABLE dw.fact_loyalty_transaction IS 'Grain: one row per loyalty transaction event (purchase, distribution, perk_claim, sellback), with USD and RSNC amounts and its unique transaction hash.';
