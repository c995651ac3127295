-- Reference operational (source) schema: the tables almanac extracts from.
--
-- This is the contract with the operational application. The application
-- enforces its rules in code; the database deliberately does not (no foreign
-- keys, no CHECK constraints, text instead of enums, JSON kept as text), as in
-- the legacy systems almanac reads. That is why the ETL validates every row
-- and quarantines what breaks the rules. docs/source-schema.md lists every
-- status and type value.
--
-- Every table has `updated_at`, the technical time of the row's last change,
-- set to now() (the writing transaction's start time) by default and by the
-- trigger below. Incremental extraction relies on it: see docs/etl.md.
-- Business times are `*_at` columns of their own.
--
-- Primary keys and indexes are in 002_keys_indexes.sql so that bulk loads
-- (the demo generator) can fill the tables first.

CREATE OR REPLACE FUNCTION touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

-- Platform (seed 000) --------------------------------------------------------

-- Partner companies (photographers, agencies, venues) that buy credits.
CREATE TABLE partners (
    id                 bigint NOT NULL,
    name               text,            -- required
    email              text,            -- required
    status             text,            -- pending | approved | rejected | deactivated
    contract_value_usd numeric(14,2),   -- monthly contract value, >= 0
    created_at         timestamptz,     -- account created (application time)
    approved_at        timestamptz,     -- first approval
    deactivated_at     timestamptz,     -- latest deactivation, NULL when active
    updated_at         timestamptz NOT NULL DEFAULT now()
);

-- Every change of a partner's status, contract value or name, oldest first.
-- The latest row per partner equals the partners row.
CREATE TABLE partner_status_history (
    id                 bigint NOT NULL,
    partner_id         bigint,          -- partners.id, required
    changed_at         timestamptz,     -- required
    status             text,            -- as partners.status
    contract_value_usd numeric(14,2),
    name               text,
    updated_at         timestamptz NOT NULL DEFAULT now()
);

-- Applications to become a partner, answered by an administrator.
CREATE TABLE partner_applications (
    id            bigint NOT NULL,
    company_name  text,                 -- required
    contact_email text,                 -- required
    submitted_at  timestamptz,          -- required
    status        text,                 -- pending | approved | rejected
    decided_at    timestamptz,          -- NULL while pending
    partner_id    bigint,               -- partners.id once approved
    updated_at    timestamptz NOT NULL DEFAULT now()
);

-- Events (a wedding, a conference...) run by a partner for its client.
CREATE TABLE events (
    id                bigint NOT NULL,
    partner_id        bigint,           -- partners.id, required
    name              text,             -- required
    slug              text,             -- required, unique per partner
    event_type        text,             -- wedding | corporate | holiday | other
    client_name       text,
    event_date        date,             -- required
    credits_allocated bigint,           -- credits the partner allocated, >= 0
    created_at        timestamptz,
    updated_at        timestamptz NOT NULL DEFAULT now()
);

-- AI image styles offered to guests and B2C users.
CREATE TABLE styles (
    id         bigint NOT NULL,
    name       text,                    -- required
    category   text,                    -- portrait | artistic | vintage | cartoon | fantasy | seasonal
    active     boolean,                 -- offered in the UI
    created_at timestamptz,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- End users who buy credits directly (B2C).
CREATE TABLE b2c_users (
    id           bigint NOT NULL,
    email        text,                  -- required
    display_name text,
    country      text,                  -- ISO 3166-1 alpha-2
    created_at   timestamptz,           -- required
    updated_at   timestamptz NOT NULL DEFAULT now()
);

-- One image generation, either at a partner's event or by a B2C user
-- (exactly one of event_id and b2c_user_id is set).
CREATE TABLE generations (
    id          bigint NOT NULL,
    event_id    bigint,                 -- events.id
    b2c_user_id bigint,                 -- b2c_users.id
    style_id    bigint,                 -- styles.id, required
    status      text,                   -- completed | failed
    credits     bigint,                 -- credits charged, >= 0 (0 when failed)
    latency_ms  integer,                -- time to produce the image, >= 0
    created_at  timestamptz,            -- required
    deleted_at  timestamptz,            -- set when the user deleted the image later
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Every movement of credits or money. `credits` and `amount_usd` are
-- non-negative; `kind` says the direction:
--   purchase      partner buys a credit pack        (partner_id, credits, amount_usd, pack_size, promo_code)
--   allocation    partner assigns credits to event  (partner_id, event_id, credits)
--   consumption   credits used by generations       (partner_id + event_id: one row per event on its date;
--                                                     b2c_user_id: one row per user and day)
--   refund        unused credits refunded           (partner_id or b2c_user_id, credits, amount_usd)
--   b2c_purchase  B2C user buys a credit pack        (b2c_user_id, credits, amount_usd, pack_size, promo_code)
--   subscription  monthly B2C subscription fee       (b2c_user_id, amount_usd, credits granted)
CREATE TABLE credit_transactions (
    id          bigint NOT NULL,
    kind        text,                   -- required, see above
    partner_id  bigint,
    b2c_user_id bigint,
    event_id    bigint,
    credits     bigint,                 -- >= 0
    amount_usd  numeric(14,2),          -- >= 0; NULL when no money moves
    pack_size   integer,                -- credits in the pack bought (purchases)
    promo_code  text,                   -- promotion used, NULL if none
    actor       text,                   -- who did it: an email or 'system'
    description text,                   -- free text typed by the actor
    created_at  timestamptz,            -- required
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- B2C subscription plans taken by users.
CREATE TABLE subscriptions (
    id              bigint NOT NULL,
    b2c_user_id     bigint,             -- required
    plan            text,               -- basic | pro
    monthly_fee_usd numeric(14,2),      -- >= 0
    started_at      timestamptz,        -- required
    ended_at        timestamptz,        -- NULL while running
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- Periodic health checks of each component by the monitoring probe.
CREATE TABLE health_checks (
    id          bigint NOT NULL,
    component   text,                   -- api | database | image_provider | storage
    checked_at  timestamptz,            -- required
    status      text,                   -- up | down
    response_ms integer,                -- probe round trip, >= 0; NULL when down
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Requests served by the public API.
CREATE TABLE api_requests (
    id           bigint NOT NULL,
    requested_at timestamptz,           -- required
    method       text,                  -- GET | POST | PUT | PATCH | DELETE
    endpoint     text,                  -- route template, e.g. /v1/generations
    status_code  integer,               -- HTTP status, 100..599
    duration_ms  integer,               -- >= 0
    api_key      text,                  -- key id (never the secret); NULL when anonymous
    client_ip    text,                  -- IPv4 or IPv6 address
    updated_at   timestamptz NOT NULL DEFAULT now()
);

-- Audit trail: logins, deletions, exports, system failures.
-- `details` is a JSON object kept as text; its keys depend on the action.
CREATE TABLE activity_log (
    id          bigint NOT NULL,
    occurred_at timestamptz,            -- required
    actor       text,                   -- email, API key id or 'system'
    actor_type  text,                   -- admin | partner | b2c_user | system
    action      text,                   -- see docs/source-schema.md
    ip          text,
    details     text,                   -- JSON object
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- B2C app sessions, and the funnel steps reached in each.
CREATE TABLE sessions (
    id          bigint NOT NULL,
    b2c_user_id bigint,                 -- required
    started_at  timestamptz,            -- required
    ended_at    timestamptz,            -- >= started_at; NULL if never closed
    device      text,                   -- web | ios | android
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE session_steps (
    id          bigint NOT NULL,
    session_id  bigint,                 -- sessions.id, required
    step        text,                   -- upload | style | generate | download
    occurred_at timestamptz,            -- required
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Loyalty program (seed 002) -------------------------------------------------

-- Brands running a loyalty program with RSNC points.
CREATE TABLE loyalty_brands (
    id         bigint NOT NULL,
    name       text,                    -- required
    created_at timestamptz,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Reward rules: the RSNC a brand awards for an action.
CREATE TABLE loyalty_rewards (
    id             bigint NOT NULL,
    brand_id       bigint,              -- loyalty_brands.id, required
    name           text,                -- required
    rsnc_amount    bigint,              -- points per award, > 0
    active         boolean,
    created_at     timestamptz,
    deactivated_at timestamptz,
    updated_at     timestamptz NOT NULL DEFAULT now()
);

-- Perks users can claim with RSNC, in limited supply.
CREATE TABLE loyalty_perks (
    id           bigint NOT NULL,
    brand_id     bigint,                -- required
    name         text,                  -- required
    price_rsnc   bigint,                -- points per claim, > 0
    value_usd    numeric(14,2),         -- value of one claim to the brand, >= 0
    total_supply bigint,                -- units ever offered, > 0
    active       boolean,
    created_at   timestamptz,
    updated_at   timestamptz NOT NULL DEFAULT now()
);

-- Every loyalty transaction event, as the portal logs it.
--   purchase     brand deposits USD for RSNC   (usd_amount, rsnc_amount)
--   distribution RSNC awarded to a user        (user_ref, rsnc_amount, reward_id)
--   perk_claim   user redeems a perk           (user_ref, perk_id, rsnc_amount)
--   sellback     brand returns RSNC for USD    (rsnc_amount, usd_amount)
CREATE TABLE loyalty_transactions (
    id          bigint NOT NULL,
    brand_id    bigint,                 -- required
    type        text,                   -- purchase | distribution | perk_claim | sellback
    user_ref    text,                   -- the end user's wallet or member id
    perk_id     bigint,
    reward_id   bigint,
    usd_amount  numeric(14,2),          -- >= 0
    rsnc_amount bigint,                 -- > 0
    tx_hash     text,                   -- 0x + 64 hex digits, unique
    metadata    text,                   -- JSON object
    created_at  timestamptz,            -- required
    updated_at  timestamptz NOT NULL DEFAULT now()
);
