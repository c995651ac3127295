-- Set-based checks the program cannot make row by row, run after every
-- staging table is loaded and before quarantine.sql.
--
-- orphan_reference: a good staging row whose reference points nowhere. A
-- parent counts when it is already in the warehouse or is a good row of this
-- batch. Parents are checked before their children, so a rejected event
-- makes its generations orphans, a rejected session its steps, and so on.
-- The typed values are kept (quarantine.sql stores them as the raw row), so
-- that a later run can load the row once its parent arrives: the transforms
-- retry open orphan rejects (schemas/etl/transform/*.sql).
--
-- duplicate_key: a loyalty transaction whose tx_hash another transaction
-- already holds (the hash is unique in the warehouse, not in the source).
--
-- Each check reads its child table once, joined to the parent key sets
-- (known_<table>, hash joins), then marks the few failing rows.

-- Fresh statistics for the planner: the staging tables were just refilled.
ANALYZE staging.partners, staging.partner_status_history, staging.partner_applications,
        staging.events, staging.styles, staging.b2c_users, staging.generations,
        staging.credit_transactions, staging.subscriptions, staging.health_checks,
        staging.api_requests, staging.activity_log, staging.sessions, staging.session_steps,
        staging.loyalty_brands, staging.loyalty_rewards, staging.loyalty_perks,
        staging.loyalty_transactions;

-- The keys a reference may point to, each built once: rows already in the
-- warehouse or good rows of this batch. A parent that has references of its
-- own gets its set after its check, below.
CREATE TEMP TABLE known_partners ON COMMIT DROP AS
SELECT partner_id AS k FROM dw.partner_latest UNION SELECT id FROM staging.partners WHERE _reject_code IS NULL;
ANALYZE known_partners;
CREATE TEMP TABLE known_styles ON COMMIT DROP AS
SELECT style_id AS k FROM dw.dim_style UNION SELECT id FROM staging.styles WHERE _reject_code IS NULL;
ANALYZE known_styles;
CREATE TEMP TABLE known_b2c_users ON COMMIT DROP AS
SELECT b2c_user_id AS k FROM dw.dim_b2c_user UNION SELECT id FROM staging.b2c_users WHERE _reject_code IS NULL;
ANALYZE known_b2c_users;
CREATE TEMP TABLE known_loyalty_brands ON COMMIT DROP AS
SELECT brand_id AS k FROM dw.dim_brand UNION SELECT id FROM staging.loyalty_brands WHERE _reject_code IS NULL;
ANALYZE known_loyalty_brands;

-- events.partner_id -> partners
UPDATE staging.events AS s
SET _reject_code = 'orphan_reference', _reject_reason = o.reason
FROM (
    SELECT c.id, 'partner_id ' || c.partner_id || ' is not a loaded partner' AS reason
    FROM staging.events c
    LEFT JOIN known_partners p
           ON p.k = c.partner_id
    WHERE c._reject_code IS NULL AND c.partner_id IS NOT NULL AND p.k IS NULL
) o
WHERE s.id = o.id AND s._reject_code IS NULL;
CREATE TEMP TABLE known_events ON COMMIT DROP AS
SELECT event_id AS k FROM dw.dim_event UNION SELECT id FROM staging.events WHERE _reject_code IS NULL;
ANALYZE known_events;

-- partner_status_history.partner_id -> partners
UPDATE staging.partner_status_history AS s
SET _reject_code = 'orphan_reference', _reject_reason = o.reason
FROM (
    SELECT c.id, 'partner_id ' || c.partner_id || ' is not a loaded partner' AS reason
    FROM staging.partner_status_history c
    LEFT JOIN known_partners p
           ON p.k = c.partner_id
    WHERE c._reject_code IS NULL AND c.partner_id IS NOT NULL AND p.k IS NULL
) o
WHERE s.id = o.id AND s._reject_code IS NULL;

-- partner_applications.partner_id (set once approved) -> partners
UPDATE staging.partner_applications AS s
SET _reject_code = 'orphan_reference', _reject_reason = o.reason
FROM (
    SELECT c.id, 'partner_id ' || c.partner_id || ' is not a loaded partner' AS reason
    FROM staging.partner_applications c
    LEFT JOIN known_partners p
           ON p.k = c.partner_id
    WHERE c._reject_code IS NULL AND c.partner_id IS NOT NULL AND p.k IS NULL
) o
WHERE s.id = o.id AND s._reject_code IS NULL;

-- generations: event_id -> events, style_id -> styles, b2c_user_id -> b2c_users
UPDATE staging.generations AS s
SET _reject_code = 'orphan_reference', _reject_reason = o.reason
FROM (
    SELECT c.id,
           concat_ws('; ',
               CASE WHEN c.event_id IS NOT NULL AND e.k IS NULL
                    THEN 'event_id ' || c.event_id || ' is not a loaded event' END,
               CASE WHEN c.style_id IS NOT NULL AND st.k IS NULL
                    THEN 'style_id ' || c.style_id || ' is not a loaded style' END,
               CASE WHEN c.b2c_user_id IS NOT NULL AND u.k IS NULL
                    THEN 'b2c_user_id ' || c.b2c_user_id || ' is not a loaded B2C user' END) AS reason
    FROM staging.generations c
    LEFT JOIN known_events e
           ON e.k = c.event_id
    LEFT JOIN known_styles st
           ON st.k = c.style_id
    LEFT JOIN known_b2c_users u
           ON u.k = c.b2c_user_id
    WHERE c._reject_code IS NULL
      AND ((c.event_id IS NOT NULL AND e.k IS NULL)
           OR (c.style_id IS NOT NULL AND st.k IS NULL)
           OR (c.b2c_user_id IS NOT NULL AND u.k IS NULL))
) o
WHERE s.id = o.id AND s._reject_code IS NULL;

-- credit_transactions: partner_id, event_id, b2c_user_id
UPDATE staging.credit_transactions AS s
SET _reject_code = 'orphan_reference', _reject_reason = o.reason
FROM (
    SELECT c.id,
           concat_ws('; ',
               CASE WHEN c.partner_id IS NOT NULL AND p.k IS NULL
                    THEN 'partner_id ' || c.partner_id || ' is not a loaded partner' END,
               CASE WHEN c.event_id IS NOT NULL AND e.k IS NULL
                    THEN 'event_id ' || c.event_id || ' is not a loaded event' END,
               CASE WHEN c.b2c_user_id IS NOT NULL AND u.k IS NULL
                    THEN 'b2c_user_id ' || c.b2c_user_id || ' is not a loaded B2C user' END) AS reason
    FROM staging.credit_transactions c
    LEFT JOIN known_partners p
           ON p.k = c.partner_id
    LEFT JOIN known_events e
           ON e.k = c.event_id
    LEFT JOIN known_b2c_users u
           ON u.k = c.b2c_user_id
    WHERE c._reject_code IS NULL
      AND ((c.partner_id IS NOT NULL AND p.k IS NULL)
           OR (c.event_id IS NOT NULL AND e.k IS NULL)
           OR (c.b2c_user_id IS NOT NULL AND u.k IS NULL))
) o
WHERE s.id = o.id AND s._reject_code IS NULL;

-- subscriptions.b2c_user_id -> b2c_users
UPDATE staging.subscriptions AS s
SET _reject_code = 'orphan_reference', _reject_reason = o.reason
FROM (
    SELECT c.id, 'b2c_user_id ' || c.b2c_user_id || ' is not a loaded B2C user' AS reason
    FROM staging.subscriptions c
    LEFT JOIN known_b2c_users u
           ON u.k = c.b2c_user_id
    WHERE c._reject_code IS NULL AND c.b2c_user_id IS NOT NULL AND u.k IS NULL
) o
WHERE s.id = o.id AND s._reject_code IS NULL;

-- sessions.b2c_user_id -> b2c_users
UPDATE staging.sessions AS s
SET _reject_code = 'orphan_reference', _reject_reason = o.reason
FROM (
    SELECT c.id, 'b2c_user_id ' || c.b2c_user_id || ' is not a loaded B2C user' AS reason
    FROM staging.sessions c
    LEFT JOIN known_b2c_users u
           ON u.k = c.b2c_user_id
    WHERE c._reject_code IS NULL AND c.b2c_user_id IS NOT NULL AND u.k IS NULL
) o
WHERE s.id = o.id AND s._reject_code IS NULL;
CREATE TEMP TABLE known_sessions ON COMMIT DROP AS
SELECT session_id AS k FROM dw.fact_session UNION SELECT id FROM staging.sessions WHERE _reject_code IS NULL;
ANALYZE known_sessions;

-- session_steps.session_id -> sessions (after the sessions check above)
UPDATE staging.session_steps AS s
SET _reject_code = 'orphan_reference', _reject_reason = o.reason
FROM (
    SELECT c.id, 'session_id ' || c.session_id || ' is not a loaded session' AS reason
    FROM staging.session_steps c
    LEFT JOIN known_sessions p
           ON p.k = c.session_id
    WHERE c._reject_code IS NULL AND c.session_id IS NOT NULL AND p.k IS NULL
) o
WHERE s.id = o.id AND s._reject_code IS NULL;

-- loyalty_rewards.brand_id -> loyalty_brands
UPDATE staging.loyalty_rewards AS s
SET _reject_code = 'orphan_reference', _reject_reason = o.reason
FROM (
    SELECT c.id, 'brand_id ' || c.brand_id || ' is not a loaded brand' AS reason
    FROM staging.loyalty_rewards c
    LEFT JOIN known_loyalty_brands b
           ON b.k = c.brand_id
    WHERE c._reject_code IS NULL AND c.brand_id IS NOT NULL AND b.k IS NULL
) o
WHERE s.id = o.id AND s._reject_code IS NULL;
CREATE TEMP TABLE known_loyalty_rewards ON COMMIT DROP AS
SELECT reward_id AS k FROM dw.dim_reward UNION SELECT id FROM staging.loyalty_rewards WHERE _reject_code IS NULL;
ANALYZE known_loyalty_rewards;

-- loyalty_perks.brand_id -> loyalty_brands
UPDATE staging.loyalty_perks AS s
SET _reject_code = 'orphan_reference', _reject_reason = o.reason
FROM (
    SELECT c.id, 'brand_id ' || c.brand_id || ' is not a loaded brand' AS reason
    FROM staging.loyalty_perks c
    LEFT JOIN known_loyalty_brands b
           ON b.k = c.brand_id
    WHERE c._reject_code IS NULL AND c.brand_id IS NOT NULL AND b.k IS NULL
) o
WHERE s.id = o.id AND s._reject_code IS NULL;
CREATE TEMP TABLE known_loyalty_perks ON COMMIT DROP AS
SELECT perk_id AS k FROM dw.dim_perk UNION SELECT id FROM staging.loyalty_perks WHERE _reject_code IS NULL;
ANALYZE known_loyalty_perks;

-- loyalty_transactions: brand_id, perk_id, reward_id (after perks and rewards)
UPDATE staging.loyalty_transactions AS s
SET _reject_code = 'orphan_reference', _reject_reason = o.reason
FROM (
    SELECT c.id,
           concat_ws('; ',
               CASE WHEN c.brand_id IS NOT NULL AND b.k IS NULL
                    THEN 'brand_id ' || c.brand_id || ' is not a loaded brand' END,
               CASE WHEN c.perk_id IS NOT NULL AND pk.k IS NULL
                    THEN 'perk_id ' || c.perk_id || ' is not a loaded perk' END,
               CASE WHEN c.reward_id IS NOT NULL AND r.k IS NULL
                    THEN 'reward_id ' || c.reward_id || ' is not a loaded reward' END) AS reason
    FROM staging.loyalty_transactions c
    LEFT JOIN known_loyalty_brands b
           ON b.k = c.brand_id
    LEFT JOIN known_loyalty_perks pk
           ON pk.k = c.perk_id
    LEFT JOIN known_loyalty_rewards r
           ON r.k = c.reward_id
    WHERE c._reject_code IS NULL
      AND ((c.brand_id IS NOT NULL AND b.k IS NULL)
           OR (c.perk_id IS NOT NULL AND pk.k IS NULL)
           OR (c.reward_id IS NOT NULL AND r.k IS NULL))
) o
WHERE s.id = o.id AND s._reject_code IS NULL;

-- loyalty_transactions.tx_hash must be unique. A hash is taken by a loaded
-- transaction that this batch does not give a new hash, or within the batch
-- by the lowest id; every other holder is a duplicate_key.
UPDATE staging.loyalty_transactions AS s
SET _reject_code = 'duplicate_key', _reject_reason = o.reason
FROM (
    SELECT g.id,
           'tx_hash ' || g.tx_hash || ' is already held by loyalty transaction '
           || f.loyalty_transaction_id AS reason
    FROM staging.loyalty_transactions g
    JOIN dw.fact_loyalty_transaction f
      ON f.tx_hash = g.tx_hash AND f.loyalty_transaction_id <> g.id
    WHERE g._reject_code IS NULL
      AND NOT EXISTS (SELECT 1 FROM staging.loyalty_transactions n
                      WHERE n.id = f.loyalty_transaction_id AND n._reject_code IS NULL
                        AND n.tx_hash IS DISTINCT FROM f.tx_hash)
    UNION ALL
    SELECT g.id,
           'tx_hash ' || g.tx_hash || ' is also used by loyalty transaction ' || d.first_id
    FROM staging.loyalty_transactions g
    JOIN (SELECT tx_hash, min(id) AS first_id
          FROM staging.loyalty_transactions
          WHERE _reject_code IS NULL AND tx_hash IS NOT NULL
          GROUP BY tx_hash
          HAVING count(*) > 1) d
      ON d.tx_hash = g.tx_hash AND g.id <> d.first_id
    WHERE g._reject_code IS NULL
) o
WHERE s.id = o.id AND s._reject_code IS NULL;
