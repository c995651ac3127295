-- Staging: one table per source table (schemas/source/001_operational.sql),
-- same name, same columns in the same order with the same types, all
-- nullable, then three bookkeeping columns:
--   _reject_code    NULL for a good row; else why it was refused (etl.rejects)
--   _reject_reason  a sentence for people
--   _raw            the rejected row as the source's COPY text sent it
-- A row refused by the program keeps only its id (when it parsed); a row
-- refused by schemas/etl/validate_references.sql keeps its typed values.
--
-- Every run truncates and refills these tables inside its one transaction
-- (schemas/etl/begin.sql). They are UNLOGGED: they never need to survive a
-- crash, and skipping WAL makes the bulk COPY cheaper. No keys, no indexes
-- every later step reads them whole with hash joins (the partial indexes
-- below hold only the rejected rows).

CREATE UNLOGGED TABLE staging.partners (
    id                 bigint,
    name               text,
    email              text,
    status             text,
    contract_value_usd numeric(14,2),
    created_at         timestamptz,
    approved_at        timestamptz,
    deactivated_at     timestamptz,
    updated_at         timestamptz,
    _reject_code       text,
    _reject_reason     text,
    _raw               text
);

CREATE UNLOGGED TABLE staging.partner_status_history (
    id                 bigint,
    partner_id         bigint,
    changed_at         timestamptz,
    status             text,
    contract_value_usd numeric(14,2),
    name               text,
    updated_at         timestamptz,
    _reject_code       text,
    _reject_reason     text,
    _raw               text
);

CREATE UNLOGGED TABLE staging.partner_applications (
    id            bigint,
    company_name  text,
    contact_email text,
    submitted_at  timestamptz,
    status        text,
    decided_at    timestamptz,
    partner_id    bigint,
    updated_at    timestamptz,
    _reject_code   text,
    _reject_reason text,
    _raw           text
);

CREATE UNLOGGED TABLE staging.events (
    id                bigint,
    partner_id        bigint,
    name              text,
    slug              text,
    event_type        text,
    client_name       text,
    event_date        date,
    credits_allocated bigint,
    created_at        timestamptz,
    updated_at        timestamptz,
    _reject_code      text,
    _reject_reason    text,
    _raw              text
);

CREATE UNLOGGED TABLE staging.styles (
    id             bigint,
    name           text,
    category       text,
    active         boolean,
    created_at     timestamptz,
    updated_at     timestamptz,
    _reject_code   text,
    _reject_reason text,
    _raw           text
);

CREATE UNLOGGED TABLE staging.b2c_users (
    id             bigint,
    email          text,
    display_name   text,
    country        text,
    created_at     timestamptz,
    updated_at     timestamptz,
    _reject_code   text,
    _reject_reason text,
    _raw           text
);

CREATE UNLOGGED TABLE staging.generations (
    id             bigint,
    event_id       bigint,
    b2c_user_id    bigint,
    style_id       bigint,
    status         text,
    credits        bigint,
    latency_ms     integer,
    created_at     timestamptz,
    deleted_at     timestamptz,
    updated_at     timestamptz,
    _reject_code   text,
    _reject_reason text,
    _raw           text
);

CREATE UNLOGGED TABLE staging.credit_transactions (
    id             bigint,
    kind           text,
    partner_id     bigint,
    b2c_user_id    bigint,
    event_id       bigint,
    credits        bigint,
    amount_usd     numeric(14,2),
    pack_size      integer,
    promo_code     text,
    actor          text,
    description    text,
    created_at     timestamptz,
    updated_at     timestamptz,
    _reject_code   text,
    _reject_reason text,
    _raw           text
);

CREATE UNLOGGED TABLE staging.subscriptions (
    id              bigint,
    b2c_user_id     bigint,
    plan            text,
    monthly_fee_usd numeric(14,2),
    started_at      timestamptz,
    ended_at        timestamptz,
    updated_at      timestamptz,
    _reject_code    text,
    _reject_reason  text,
    _raw            text
);

CREATE UNLOGGED TABLE staging.health_checks (
    id             bigint,
    component      text,
    checked_at     timestamptz,
    status         text,
    response_ms    integer,
    updated_at     timestamptz,
    _reject_code   text,
    _reject_reason text,
    _raw           text
);

CREATE UNLOGGED TABLE staging.api_requests (
    id             bigint,
    requested_at   timestamptz,
    method         text,
    endpoint       text,
    status_code    integer,
    duration_ms    integer,
    api_key        text,
    client_ip      text,
    updated_at     timestamptz,
    _reject_code   text,
    _reject_reason text,
    _raw           text
);

CREATE UNLOGGED TABLE staging.activity_log (
    id             bigint,
    occurred_at    timestamptz,
    actor          text,
    actor_type     text,
    action         text,
    ip             text,
    details        text,
    updated_at     timestamptz,
    _reject_code   text,
    _reject_reason text,
    _raw           text
);

CREATE UNLOGGED TABLE staging.sessions (
    id             bigint,
    b2c_user_id    bigint,
    started_at     timestamptz,
    ended_at       timestamptz,
    device         text,
    updated_at     timestamptz,
    _reject_code   text,
    _reject_reason text,
    _raw           text
);

CREATE UNLOGGED TABLE staging.session_steps (
    id             bigint,
    session_id     bigint,
    step           text,
    occurred_at    timestamptz,
    updated_at     timestamptz,
    _reject_code   text,
    _reject_reason text,
    _raw           text
);

CREATE UNLOGGED TABLE staging.loyalty_brands (
    id             bigint,
    name           text,
    created_at     timestamptz,
    updated_at     timestamptz,
    _reject_code   text,
    _reject_reason text,
    _raw           text
);

CREATE UNLOGGED TABLE staging.loyalty_rewards (
    id             bigint,
    brand_id       bigint,
    name           text,
    rsnc_amount    bigint,
    active         boolean,
    created_at     timestamptz,
    deactivated_at timestamptz,
    updated_at     timestamptz,
    _reject_code   text,
    _reject_reason text,
    _raw           text
);

CREATE UNLOGGED TABLE staging.loyalty_perks (
    id             bigint,
    brand_id       bigint,
    name           text,
    price_rsnc     bigint,
    value_usd      numeric(14,2),
    total_supply   bigint,
    active         boolean,
    created_at     timestamptz,
    updated_at     timestamptz,
    _reject_code   text,
    _reject_reason text,
    _raw           text
);

CREATE UNLOGGED TABLE staging.loyalty_transactions (
    id             bigint,
    brand_id       bigint,
    type           text,
    user_ref       text,
    perk_id        bigint,
    reward_id      bigint,
    usd_amount     numeric(14,2),
    rsnc_amount    bigint,
    tx_hash        text,
    metadata       text,
    created_at     timestamptz,
    updated_at     timestamptz,
    _reject_code   text,
    _reject_reason text,
    _raw           text
);

-- The ANALYZE at the start of validate_references.sql only needs row counts
-- and rough distributions: a 3,000-row sample (statistics target 10) instead
-- of the default 30,000 makes it several times cheaper on big batches.
DO $$
DECLARE
    c record;
BEGIN
    FOR c IN SELECT a.attrelid::regclass AS tbl, a.attname
             FROM pg_catalog.pg_attribute a
             JOIN pg_catalog.pg_class r ON r.oid = a.attrelid
             WHERE r.relnamespace = 'staging'::regnamespace AND r.relkind = 'r'
               AND a.attnum > 0 AND NOT a.attisdropped
    LOOP
        EXECUTE format('ALTER TABLE %s ALTER COLUMN %I SET STATISTICS 10', c.tbl, c.attname);
    END LOOP;
END
$$;

-- Rejected rows are few: a partial index per table finds them without
-- reading the whole table (quarantine.sql, etl.staging_rejects). It costs
-- the COPY one predicate test per row.
CREATE INDEX ON staging.partners (id) WHERE _reject_code IS NOT NULL;
CREATE INDEX ON staging.partner_status_history (id) WHERE _reject_code IS NOT NULL;
CREATE INDEX ON staging.partner_applications (id) WHERE _reject_code IS NOT NULL;
CREATE INDEX ON staging.events (id) WHERE _reject_code IS NOT NULL;
CREATE INDEX ON staging.styles (id) WHERE _reject_code IS NOT NULL;
CREATE INDEX ON staging.b2c_users (id) WHERE _reject_code IS NOT NULL;
CREATE INDEX ON staging.generations (id) WHERE _reject_code IS NOT NULL;
CREATE INDEX ON staging.credit_transactions (id) WHERE _reject_code IS NOT NULL;
CREATE INDEX ON staging.subscriptions (id) WHERE _reject_code IS NOT NULL;
CREATE INDEX ON staging.health_checks (id) WHERE _reject_code IS NOT NULL;
CREATE INDEX ON staging.api_requests (id) WHERE _reject_code IS NOT NULL;
CREATE INDEX ON staging.activity_log (id) WHERE _reject_code IS NOT NULL;
CREATE INDEX ON staging.sessions (id) WHERE _reject_code IS NOT NULL;
CREATE INDEX ON staging.session_steps (id) WHERE _reject_code IS NOT NULL;
CREATE INDEX ON staging.loyalty_brands (id) WHERE _reject_code IS NOT NULL;
CREATE INDEX ON staging.loyalty_rewards (id) WHERE _reject_code IS NOT NULL;
CREATE INDEX ON staging.loyalty_perks (id) WHERE _reject_code IS NOT NULL;
CREATE INDEX ON staging.loyalty_transactions (id) WHERE _reject_code IS NOT NULL;

-- Rejected rows per staging table after the SQL checks (orphans and
-- duplicates included), for the run log: rows_loaded = rows read -
-- rows_rejected. Cheap: it reads only the partial indexes above.
CREATE VIEW etl.staging_rejects AS
SELECT 'partners' AS table_name, count(*) AS rows_rejected
FROM staging.partners WHERE _reject_code IS NOT NULL
UNION ALL SELECT 'partner_status_history', count(*)
FROM staging.partner_status_history WHERE _reject_code IS NOT NULL
UNION ALL SELECT 'partner_applications', count(*)
FROM staging.partner_applications WHERE _reject_code IS NOT NULL
UNION ALL SELECT 'events', count(*) FROM staging.events WHERE _reject_code IS NOT NULL
UNION ALL SELECT 'styles', count(*) FROM staging.styles WHERE _reject_code IS NOT NULL
UNION ALL SELECT 'b2c_users', count(*) FROM staging.b2c_users WHERE _reject_code IS NOT NULL
UNION ALL SELECT 'generations', count(*) FROM staging.generations WHERE _reject_code IS NOT NULL
UNION ALL SELECT 'credit_transactions', count(*)
FROM staging.credit_transactions WHERE _reject_code IS NOT NULL
UNION ALL SELECT 'subscriptions', count(*) FROM staging.subscriptions WHERE _reject_code IS NOT NULL
UNION ALL SELECT 'health_checks', count(*) FROM staging.health_checks WHERE _reject_code IS NOT NULL
UNION ALL SELECT 'api_requests', count(*) FROM staging.api_requests WHERE _reject_code IS NOT NULL
UNION ALL SELECT 'activity_log', count(*) FROM staging.activity_log WHERE _reject_code IS NOT NULL
UNION ALL SELECT 'sessions', count(*) FROM staging.sessions WHERE _reject_code IS NOT NULL
UNION ALL SELECT 'session_steps', count(*) FROM staging.session_steps WHERE _reject_code IS NOT NULL
UNION ALL SELECT 'loyalty_brands', count(*) FROM staging.loyalty_brands WHERE _reject_code IS NOT NULL
UNION ALL SELECT 'loyalty_rewards', count(*)
FROM staging.loyalty_rewards WHERE _reject_code IS NOT NULL
UNION ALL SELECT 'loyalty_perks', count(*) FROM staging.loyalty_perks WHERE _reject_code IS NOT NULL
UNION ALL SELECT 'loyalty_transactions', count(*)
FROM staging.loyalty_transactions WHERE _reject_code IS NOT NULL;
COMMENT ON VIEW etl.staging_rejects IS 'Rejected rows per staging table of the current run, after the SQL checks (orphans and duplicates included).';
