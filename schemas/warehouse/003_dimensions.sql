-- Dimensions.
--
-- Conformed calendar dimensions (dim_date, dim_time_of_day) are generated
-- here once. The others are loaded by schemas/etl/transform/*.sql from the
-- source tables and keyed by the source id (the durable natural key), which
-- facts carry. dim_partner is the one slowly changing dimension kept as
-- type 2 (a row per version); the rest are type 1 (overwritten in place).
--
-- Every loaded table has etl_run_id: the run that last inserted or changed
-- the row (a re-run of the same batch changes nothing, so it keeps its value).
--
-- date_key columns everywhere are yyyymmdd integers of the UTC calendar day.
-- They are a convenience for joining dim_date; KPI periods are cut at
-- midnight of the business time zone, from the timestamptz columns.

-- Calendar ----------------------------------------------------------------

CREATE TABLE dw.dim_date (
    date_key          integer PRIMARY KEY,      -- yyyymmdd
    date              date NOT NULL UNIQUE,
    year              smallint NOT NULL,
    quarter           smallint NOT NULL,        -- 1..4
    month             smallint NOT NULL,        -- 1..12
    month_name        text NOT NULL,            -- January
    month_name_es     text NOT NULL,            -- enero
    year_month        text NOT NULL,            -- 2026-10 (the KPI period label)
    year_quarter      text NOT NULL,            -- 2026Q4
    iso_year          smallint NOT NULL,
    iso_week          smallint NOT NULL,        -- 1..53
    iso_year_week     text NOT NULL,            -- 2026-W43
    day_of_month      smallint NOT NULL,
    day_of_year       smallint NOT NULL,
    weekday           smallint NOT NULL,        -- ISO: 1 = Monday .. 7 = Sunday
    weekday_name      text NOT NULL,            -- Monday
    weekday_name_es   text NOT NULL,            -- lunes
    is_weekend        boolean NOT NULL,         -- Saturday or Sunday
    is_holiday_season boolean NOT NULL,         -- December, January, February (seed 000: holiday events)
    month_start       date NOT NULL,
    quarter_start     date NOT NULL,
    iso_week_start    date NOT NULL             -- the Monday of the ISO week
);
COMMENT ON TABLE dw.dim_date IS 'One row per calendar day, 2000-01-01 .. 2040-12-31. date_key = yyyymmdd.';

-- 2000 is the earliest time the ETL accepts (etl/validate.c); 2040 leaves room.
INSERT INTO dw.dim_date
SELECT to_char(d, 'YYYYMMDD')::int,
       d,
       extract(year FROM d),
       extract(quarter FROM d),
       extract(month FROM d),
       to_char(d, 'FMMonth'),
       (ARRAY['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto',
              'septiembre', 'octubre', 'noviembre', 'diciembre'])[extract(month FROM d)],
       to_char(d, 'YYYY-MM'),
       to_char(d, 'YYYY"Q"Q'),
       extract(isoyear FROM d),
       extract(week FROM d),
       to_char(d, 'IYYY"-W"IW'),
       extract(day FROM d),
       extract(doy FROM d),
       extract(isodow FROM d),
       to_char(d, 'FMDay'),
       (ARRAY['lunes', 'martes', 'miércoles', 'jueves', 'viernes', 'sábado',
              'domingo'])[extract(isodow FROM d)],
       extract(isodow FROM d) >= 6,
       extract(month FROM d) IN (12, 1, 2),
       date_trunc('month', d)::date,
       date_trunc('quarter', d)::date,
       date_trunc('week', d)::date
FROM generate_series(date '2000-01-01', date '2040-12-31', interval '1 day') AS g (t),
     LATERAL (SELECT t::date AS d) x;

CREATE TABLE dw.dim_time_of_day (
    time_key  smallint PRIMARY KEY,   -- minute of the day, 0..1439
    hour      smallint NOT NULL,      -- 0..23
    minute    smallint NOT NULL,      -- 0..59
    hhmm      text NOT NULL,          -- '13:05'
    day_part  text NOT NULL           -- night 0-5 h, morning 6-11 h, afternoon 12-17 h, evening 18-23 h
);
COMMENT ON TABLE dw.dim_time_of_day IS 'One row per minute of the day; time_key = hour * 60 + minute.';

INSERT INTO dw.dim_time_of_day
SELECT m, m / 60, m % 60, to_char(m / 60, 'FM00') || ':' || to_char(m % 60, 'FM00'),
       CASE WHEN m < 360 THEN 'night' WHEN m < 720 THEN 'morning'
            WHEN m < 1080 THEN 'afternoon' ELSE 'evening' END
FROM generate_series(0, 1439) AS m;

-- Partners (SCD type 2) ------------------------------------------------------

-- Every partner_status_history row held, as loaded (source id = history_id).
-- The input of the dim_partner rebuild; also the partner change log.
CREATE TABLE dw.partner_history (
    history_id         bigint PRIMARY KEY,
    partner_id         bigint NOT NULL,
    changed_at         timestamptz NOT NULL,
    status             text,
    contract_value_usd numeric(14,2),
    name               text,
    etl_run_id         bigint NOT NULL
);
COMMENT ON TABLE dw.partner_history IS 'Every change of a partner''s status, contract value or name (source partner_status_history). Input of the dim_partner versions.';

-- The latest partners row loaded, one per partner: the attributes that are
-- not historised (email, dates) and the fallback when history is missing.
CREATE TABLE dw.partner_latest (
    partner_id         bigint PRIMARY KEY,
    name               text,
    email              text,
    status             text,
    contract_value_usd numeric(14,2),
    created_at         timestamptz,
    approved_at        timestamptz,
    deactivated_at     timestamptz,
    source_updated_at  timestamptz,   -- partners.updated_at: when the source row last changed
    etl_run_id         bigint NOT NULL
);
COMMENT ON TABLE dw.partner_latest IS 'The latest source partners row per partner. Internal input of the dim_partner versions; query dim_partner instead.';

-- One row per partner version. A version holds over [valid_from, valid_to):
-- valid_to is exclusive and 'infinity' for the current version. Versions of
-- one partner never overlap and leave no gaps after the first one.
-- name, status and contract_value_usd are historised; email, created_at,
-- approved_at and deactivated_at are the latest values on every version.
CREATE TABLE dw.dim_partner (
    partner_key        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,  -- surrogate, one per version
    partner_id         bigint NOT NULL,       -- durable key = source partners.id; facts carry it
    name               text,
    email              text,
    status             text,                  -- pending | approved | rejected | deactivated
    is_active          boolean GENERATED ALWAYS AS (status = 'approved') STORED,
    contract_value_usd numeric(14,2),         -- monthly contract value, USD
    valid_from         timestamptz NOT NULL,
    valid_to           timestamptz NOT NULL,  -- exclusive; 'infinity' for the current version
    is_current         boolean NOT NULL,
    created_at         timestamptz,           -- account created (application time)
    approved_at        timestamptz,           -- first approval
    deactivated_at     timestamptz,           -- latest deactivation; NULL when active
    version_source     text NOT NULL,         -- history: from a partner_status_history row;
                                              -- partners: from the partners row (no matching history)
    etl_run_id         bigint NOT NULL,
    UNIQUE (partner_id, valid_from),
    CHECK (valid_from < valid_to),
    CHECK (is_current = (valid_to = 'infinity'))
);
COMMENT ON TABLE dw.dim_partner IS 'Partners, SCD type 2: one row per version, valid over [valid_from, valid_to). The state at time t: valid_from <= t AND t < valid_to. Current state: is_current.';

-- Events, styles, B2C users (type 1) ------------------------------------------

CREATE TABLE dw.dim_event (
    event_id          bigint PRIMARY KEY,    -- source events.id
    partner_id        bigint,                -- dim_partner.partner_id
    name              text,
    slug              text,                  -- unique per partner in the source application
    event_type        text,                  -- wedding | corporate | holiday | other
    client_name       text,
    event_date        date,                  -- the day the event is held
    event_date_key    integer,               -- yyyymmdd of event_date
    credits_allocated bigint,                -- credits the partner allocated to the event
    created_at        timestamptz,
    etl_run_id        bigint NOT NULL
);
COMMENT ON TABLE dw.dim_event IS 'Events run by partners for their clients (type 1: latest values).';

CREATE TABLE dw.dim_style (
    style_id   bigint PRIMARY KEY,           -- source styles.id
    name       text,
    category   text,                         -- portrait | artistic | vintage | cartoon | fantasy | seasonal
    active     boolean,                      -- offered in the UI now
    created_at timestamptz,
    etl_run_id bigint NOT NULL
);
COMMENT ON TABLE dw.dim_style IS 'AI image styles (type 1: latest values).';

-- No email or display name: no report needs them, and the source stays the
-- system of record for personal data. Spending tiers are computed by KPIs.
CREATE TABLE dw.dim_b2c_user (
    b2c_user_id     bigint PRIMARY KEY,      -- source b2c_users.id
    country         text,                    -- ISO 3166-1 alpha-2
    signed_up_at    timestamptz,             -- source created_at
    signup_date_key integer,                 -- yyyymmdd of signed_up_at's UTC day
    etl_run_id      bigint NOT NULL
);
COMMENT ON TABLE dw.dim_b2c_user IS 'End users who buy credits directly (B2C). Signup time only; no personal data.';

-- Loyalty program (type 1) ----------------------------------------------------

CREATE TABLE dw.dim_brand (
    brand_id   bigint PRIMARY KEY,           -- source loyalty_brands.id
    name       text,
    created_at timestamptz,
    etl_run_id bigint NOT NULL
);
COMMENT ON TABLE dw.dim_brand IS 'Brands running a loyalty program with RSNC points.';

CREATE TABLE dw.dim_perk (
    perk_id      bigint PRIMARY KEY,         -- source loyalty_perks.id
    brand_id     bigint,                     -- dim_brand.brand_id
    name         text,
    price_rsnc   bigint,                     -- RSNC points per claim
    value_usd    numeric(14,2),              -- value of one claim to the brand, USD
    total_supply bigint,                     -- units ever offered (latest value)
    active       boolean,
    created_at   timestamptz,
    etl_run_id   bigint NOT NULL
);
COMMENT ON TABLE dw.dim_perk IS 'Perks users claim with RSNC points, in limited supply (type 1: latest values).';

CREATE TABLE dw.dim_reward (
    reward_id      bigint PRIMARY KEY,       -- source loyalty_rewards.id
    brand_id       bigint,                   -- dim_brand.brand_id
    name           text,
    rsnc_amount    bigint,                   -- RSNC points per award
    active         boolean,
    created_at     timestamptz,
    deactivated_at timestamptz,
    etl_run_id     bigint NOT NULL
);
COMMENT ON TABLE dw.dim_reward IS 'Reward rules: the RSNC points a brand awards for an action (type 1).';
