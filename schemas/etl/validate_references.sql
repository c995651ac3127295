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
-- Each check reads its child table once. A reference to a good row of the
-- batch is fine (a hash of the parent's staging table). The rows left
-- ("unstaged": on a first load only the orphans, on an incremental run most
-- of the batch) have each distinct key they refer to looked up in the
-- parent's warehouse table by its primary key, one index probe per key. The
-- warehouse's key sets are never read whole: at scale 10, building
-- "warehouse keys + good staged keys" for every parent cost about 2 s on
-- every run, even one that read nothing, and 4 s after a day of data. The
-- probes are LATERAL ... LIMIT 1 because for a few thousand keys the planner
-- prefers hashing the whole parent (1.6 million sessions: about 1 s). The
-- failing rows are updated through their ctid (a TID scan): a join by id
-- would hash the whole staging table for a handful of orphans.

-- Fresh statistics for the planner: the staging tables were just refilled.
ANALYZE staging.partners, staging.partner_status_history, staging.partner_applications,
        staging.events, staging.styles, staging.b2c_users, staging.generations,
        staging.credit_transactions, staging.subscriptions, staging.health_checks,
        staging.api_requests, staging.activity_log, staging.sessions, staging.session_steps,
        staging.loyalty_brands, staging.loyalty_rewards, staging.loyalty_perks,
        staging.loyalty_transactions;

-- One statement per child table, in this order (parents before children),
-- built from the fixed list below, never from data. For each reference
-- (column -> parent's staging table, and its warehouse table, whose key
-- has the column's name):
--   unstaged  good rows whose reference is not a good row of the batch
--   m<i>      the distinct keys of those that the warehouse lacks too
--   orphans   the rows with at least one such key, and why
DO $$
DECLARE
    chk record;
BEGIN
    FOR chk IN
        SELECT r.child,
               string_agg(format('c.%I', r.col), ', ' ORDER BY r.n) AS cols,
               string_agg(format('c.%1$I IS NOT NULL AND p%2$s.id IS NULL AS u%2$s', r.col, r.n),
                          ', ' ORDER BY r.n) AS flags,
               string_agg(format('LEFT JOIN staging.%1$I p%2$s '
                                 'ON p%2$s.id = c.%3$I AND p%2$s._reject_code IS NULL',
                                 r.parent, r.n, r.col), ' ' ORDER BY r.n) AS parent_joins,
               string_agg(format('c.u%s', r.n), ' OR ' ORDER BY r.n) AS any_unstaged,
               string_agg(format('m%1$s AS (SELECT k.k '
                                 'FROM (SELECT DISTINCT u.%2$I AS k '
                                 'FROM unstaged u WHERE u.u%1$s) k '
                                 'LEFT JOIN LATERAL (SELECT true AS held FROM %3$s w '
                                 'WHERE w.%2$I = k.k LIMIT 1) w ON true '
                                 'WHERE w.held IS NULL)',
                                 r.n, r.col, r.wh_table), ', ' ORDER BY r.n) AS missing,
               string_agg(format('CASE WHEN m%1$s.k IS NOT NULL THEN %2$L || u.%3$I || %4$L END',
                                 r.n, r.col || ' ', r.col, ' is not a loaded ' || r.noun),
                          ', ' ORDER BY r.n) AS reasons,
               string_agg(format('LEFT JOIN m%1$s ON m%1$s.k = u.%2$I', r.n, r.col),
                          ' ' ORDER BY r.n) AS missing_joins,
               string_agg(format('m%s.k IS NOT NULL', r.n), ' OR ' ORDER BY r.n) AS any_missing
        FROM (VALUES
            (1, 'events', 'partner_id', 'partners', 'dw.partner_latest'::regclass, 'partner'),
            (2, 'partner_status_history', 'partner_id', 'partners', 'dw.partner_latest', 'partner'),
            -- set once the application is approved
            (3, 'partner_applications', 'partner_id', 'partners', 'dw.partner_latest', 'partner'),
            (4, 'generations', 'event_id', 'events', 'dw.dim_event', 'event'),
            (5, 'generations', 'style_id', 'styles', 'dw.dim_style', 'style'),
            (6, 'generations', 'b2c_user_id', 'b2c_users', 'dw.dim_b2c_user', 'B2C user'),
            (7, 'credit_transactions', 'partner_id', 'partners', 'dw.partner_latest', 'partner'),
            (8, 'credit_transactions', 'event_id', 'events', 'dw.dim_event', 'event'),
            (9, 'credit_transactions', 'b2c_user_id', 'b2c_users', 'dw.dim_b2c_user', 'B2C user'),
            (10, 'subscriptions', 'b2c_user_id', 'b2c_users', 'dw.dim_b2c_user', 'B2C user'),
            (11, 'sessions', 'b2c_user_id', 'b2c_users', 'dw.dim_b2c_user', 'B2C user'),
            -- after the sessions
            (12, 'session_steps', 'session_id', 'sessions', 'dw.fact_session', 'session'),
            (13, 'loyalty_rewards', 'brand_id', 'loyalty_brands', 'dw.dim_brand', 'brand'),
            (14, 'loyalty_perks', 'brand_id', 'loyalty_brands', 'dw.dim_brand', 'brand'),
            -- after the perks and rewards
            (15, 'loyalty_transactions', 'brand_id', 'loyalty_brands', 'dw.dim_brand', 'brand'),
            (16, 'loyalty_transactions', 'perk_id', 'loyalty_perks', 'dw.dim_perk', 'perk'),
            (17, 'loyalty_transactions', 'reward_id', 'loyalty_rewards', 'dw.dim_reward', 'reward')
        ) AS r (n, child, col, parent, wh_table, noun)
        GROUP BY r.child
        ORDER BY min(r.n)
    LOOP
        EXECUTE format(
            'WITH unstaged AS MATERIALIZED (
                 SELECT *
                 FROM (SELECT c.ctid AS tid, %2$s, %3$s
                       FROM staging.%1$I c %4$s
                       WHERE c._reject_code IS NULL
                       OFFSET 0) c
                 WHERE %5$s
             ),
             %6$s,
             orphans AS MATERIALIZED (
                 SELECT u.tid, concat_ws(''; '', %7$s) AS reason
                 FROM unstaged u %8$s
                 WHERE %9$s
             )
             UPDATE staging.%1$I AS s
             SET _reject_code = ''orphan_reference'', _reject_reason = o.reason
             FROM orphans o
             WHERE s.ctid = ANY (ARRAY(SELECT tid FROM orphans)) AND s.ctid = o.tid',
            chk.child, chk.cols, chk.flags, chk.parent_joins,
            chk.any_unstaged, chk.missing, chk.reasons, chk.missing_joins, chk.any_missing);
    END LOOP;
END
$$;

-- loyalty_transactions.tx_hash must be unique. A hash is taken by a loaded
-- transaction that this batch does not give a new hash, or within the batch
-- by the lowest id; every other holder is a duplicate_key.
WITH duplicates AS MATERIALIZED (
    SELECT g.ctid AS tid,
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
    SELECT g.ctid,
           'tx_hash ' || g.tx_hash || ' is also used by loyalty transaction ' || d.first_id
    FROM staging.loyalty_transactions g
    JOIN (SELECT tx_hash, min(id) AS first_id
          FROM staging.loyalty_transactions
          WHERE _reject_code IS NULL AND tx_hash IS NOT NULL
          GROUP BY tx_hash
          HAVING count(*) > 1) d
      ON d.tx_hash = g.tx_hash AND g.id <> d.first_id
    WHERE g._reject_code IS NULL
)
UPDATE staging.loyalty_transactions AS s
SET _reject_code = 'duplicate_key', _reject_reason = o.reason
FROM duplicates o
WHERE s.ctid = ANY (ARRAY(SELECT tid FROM duplicates))  -- (as above)
  AND s.ctid = o.tid AND s._reject_code IS NULL;
