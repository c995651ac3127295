-- The daily rollups of the ledgers (migration 026), kept in step with the
-- facts in the run's transaction. Needs almanac.run_id.
--
-- A rollup that is empty (a first load) is filled from its whole fact. The
-- others are recomputed for every UTC day this run wrote a row on or moved
-- a row away from: the rows carrying this run's id (fact_*_run_brin) and
-- the values the transforms captured before overwriting them
-- (pg_temp.replaced_*). Stored rows of those days that no longer exist are
-- deleted; the others are upserted on the key, written only where a value
-- differs, so a run that changes no fact changes no rollup.
--
-- Customers reached count a user on the day of their first distribution,
-- which other days' rows decide. A user or (user, brand) this run touched
-- can have its first distribution move only on or after the earliest day
-- it touched (an earlier row was neither written nor removed), so the
-- days recomputed are the touched ones plus the later days the user has
-- distributions on, found through fact_loyalty_transaction_reach_idx.
--
-- Every temporary table is analysed as soon as it is filled: the planner
-- otherwise guesses a thousand rows and hashes a whole rollup or the reach
-- index to probe a handful.
--
-- Days are read one by one through the facts' created_at BRIN indexes
-- (LATERAL ... OFFSET 0, as in snapshots.sql): a range from the oldest to
-- the newest touched day would read years of facts for one late row.

CREATE TEMP TABLE rollup_full ON COMMIT DROP AS
SELECT NOT EXISTS (SELECT 1 FROM dw.agg_credit_day) AS credit,
       NOT EXISTS (SELECT 1 FROM dw.agg_loyalty_day) AS loyalty,
       NOT EXISTS (SELECT 1 FROM dw.agg_loyalty_reach_day) AS reach;

SELECT etl.rollups_fill_empty();

-- Credit movements ------------------------------------------------------------
CREATE TEMP TABLE rollup_days ON COMMIT DROP AS
SELECT DISTINCT k.date_key,
       to_date(k.date_key::text, 'YYYYMMDD')::timestamp AT TIME ZONE 'UTC' AS day_start
FROM (SELECT f.date_key
      FROM dw.fact_credit_movement f
      WHERE f.etl_run_id = current_setting('almanac.run_id')::bigint
      UNION ALL
      SELECT to_char(r.created_at AT TIME ZONE 'UTC', 'YYYYMMDD')::integer
      FROM pg_temp.replaced_credit_movements r) k
WHERE k.date_key IS NOT NULL AND NOT (SELECT credit FROM rollup_full);
ANALYZE rollup_days;

CREATE TEMP TABLE rollup_credit ON COMMIT DROP AS
SELECT f.date_key, f.kind, f.partner_id,
       CASE WHEN f.kind = 'b2c_purchase' THEN f.b2c_user_id END AS b2c_user_id,
       coalesce(sum(f.credits), 0) AS credits, count(*) AS movements
FROM rollup_days d
CROSS JOIN LATERAL (SELECT f.* FROM dw.fact_credit_movement f
                    WHERE f.created_at >= d.day_start
                      AND f.created_at < d.day_start + interval '1 day'
                    OFFSET 0) f
WHERE f.kind IS NOT NULL
GROUP BY 1, 2, 3, 4;
ANALYZE rollup_credit;

DELETE FROM dw.agg_credit_day a
USING rollup_days d
WHERE a.date_key = d.date_key
  AND NOT EXISTS (SELECT 1 FROM rollup_credit n
                  WHERE n.date_key = a.date_key AND n.kind = a.kind
                    AND n.partner_id IS NOT DISTINCT FROM a.partner_id
                    AND n.b2c_user_id IS NOT DISTINCT FROM a.b2c_user_id);

INSERT INTO dw.agg_credit_day AS a (date_key, kind, partner_id, b2c_user_id, credits, movements)
SELECT n.date_key, n.kind, n.partner_id, n.b2c_user_id, n.credits, n.movements
FROM rollup_credit n
ON CONFLICT (date_key, kind, partner_id, b2c_user_id) DO UPDATE
SET credits = excluded.credits, movements = excluded.movements
WHERE (a.credits, a.movements) IS DISTINCT FROM (excluded.credits, excluded.movements);

-- Loyalty transactions --------------------------------------------------------
TRUNCATE rollup_days;
INSERT INTO rollup_days (date_key, day_start)
SELECT DISTINCT k.date_key, to_date(k.date_key::text, 'YYYYMMDD')::timestamp AT TIME ZONE 'UTC'
FROM (SELECT f.date_key
      FROM dw.fact_loyalty_transaction f
      WHERE f.etl_run_id = current_setting('almanac.run_id')::bigint
      UNION ALL
      SELECT to_char(r.created_at AT TIME ZONE 'UTC', 'YYYYMMDD')::integer
      FROM pg_temp.replaced_loyalty_transactions r) k
WHERE k.date_key IS NOT NULL AND NOT (SELECT loyalty FROM rollup_full);
ANALYZE rollup_days;

CREATE TEMP TABLE rollup_loyalty ON COMMIT DROP AS
SELECT f.date_key, f.brand_id, f.type,
       CASE WHEN f.type = 'perk_claim' THEN f.perk_id END AS perk_id,
       coalesce(sum(f.rsnc_amount), 0) AS rsnc_amount, count(*) AS transactions
FROM rollup_days d
CROSS JOIN LATERAL (SELECT f.* FROM dw.fact_loyalty_transaction f
                    WHERE f.created_at >= d.day_start
                      AND f.created_at < d.day_start + interval '1 day'
                    OFFSET 0) f
WHERE f.type IS NOT NULL
GROUP BY 1, 2, 3, 4;
ANALYZE rollup_loyalty;

DELETE FROM dw.agg_loyalty_day a
USING rollup_days d
WHERE a.date_key = d.date_key
  AND NOT EXISTS (SELECT 1 FROM rollup_loyalty n
                  WHERE n.date_key = a.date_key AND n.type = a.type
                    AND n.brand_id IS NOT DISTINCT FROM a.brand_id
                    AND n.perk_id IS NOT DISTINCT FROM a.perk_id);

INSERT INTO dw.agg_loyalty_day AS a (date_key, brand_id, type, perk_id, rsnc_amount, transactions)
SELECT n.date_key, n.brand_id, n.type, n.perk_id, n.rsnc_amount, n.transactions
FROM rollup_loyalty n
ON CONFLICT (date_key, brand_id, type, perk_id) DO UPDATE
SET rsnc_amount = excluded.rsnc_amount, transactions = excluded.transactions
WHERE (a.rsnc_amount, a.transactions) IS DISTINCT FROM (excluded.rsnc_amount, excluded.transactions);

-- Customers reached -----------------------------------------------------------
-- The distributions this run wrote or overwrote (old values).
CREATE TEMP TABLE rollup_reach_rows ON COMMIT DROP AS
SELECT f.user_ref, f.brand_id, f.created_at
FROM dw.fact_loyalty_transaction f
WHERE f.etl_run_id = current_setting('almanac.run_id')::bigint AND f.type = 'distribution'
  AND f.user_ref IS NOT NULL AND f.created_at IS NOT NULL
  AND NOT (SELECT reach FROM rollup_full)
UNION ALL
SELECT r.user_ref, r.brand_id, r.created_at
FROM pg_temp.replaced_loyalty_transactions r
WHERE r.type = 'distribution' AND r.user_ref IS NOT NULL AND r.created_at IS NOT NULL
  AND NOT (SELECT reach FROM rollup_full);
ANALYZE rollup_reach_rows;

-- The days to recompute, per brand (brand_id NOT NULL: pairs) and in total
-- (all_brands: users).
CREATE TEMP TABLE rollup_reach_days ON COMMIT DROP AS
WITH pairs AS (
    SELECT user_ref, brand_id, min(created_at) AS since
    FROM rollup_reach_rows WHERE brand_id IS NOT NULL
    GROUP BY 1, 2
), users AS (
    SELECT user_ref, min(created_at) AS since
    FROM rollup_reach_rows
    GROUP BY 1
), days AS (
    SELECT false AS all_brands, created_at FROM rollup_reach_rows WHERE brand_id IS NOT NULL
    UNION ALL
    SELECT true, created_at FROM rollup_reach_rows
    UNION ALL
    SELECT false, f.created_at
    FROM pairs p
    CROSS JOIN LATERAL (SELECT f.created_at FROM dw.fact_loyalty_transaction f
                        WHERE f.type = 'distribution' AND f.user_ref = p.user_ref
                          AND f.brand_id = p.brand_id AND f.created_at > p.since
                        OFFSET 0) f
    UNION ALL
    SELECT true, f.created_at
    FROM users u
    CROSS JOIN LATERAL (SELECT f.created_at FROM dw.fact_loyalty_transaction f
                        WHERE f.type = 'distribution' AND f.user_ref = u.user_ref
                          AND f.created_at > u.since
                        OFFSET 0) f
)
SELECT DISTINCT d.all_brands, k.date_key,
       to_date(k.date_key::text, 'YYYYMMDD')::timestamp AT TIME ZONE 'UTC' AS day_start
FROM days d
CROSS JOIN LATERAL (SELECT to_char(d.created_at AT TIME ZONE 'UTC', 'YYYYMMDD')::integer
                           AS date_key) k;
ANALYZE rollup_reach_days;

-- Per day, the pairs (users) with a distribution that day and none before.
CREATE TEMP TABLE rollup_reach ON COMMIT DROP AS
SELECT d.date_key, x.brand_id, count(*) AS first_reached
FROM rollup_reach_days d
CROSS JOIN LATERAL (SELECT DISTINCT f.user_ref, f.brand_id
                    FROM dw.fact_loyalty_transaction f
                    WHERE f.type = 'distribution' AND f.brand_id IS NOT NULL
                      AND f.created_at >= d.day_start
                      AND f.created_at < d.day_start + interval '1 day') x
WHERE NOT d.all_brands
  AND NOT EXISTS (SELECT 1 FROM dw.fact_loyalty_transaction e
                  WHERE e.type = 'distribution' AND e.user_ref = x.user_ref
                    AND e.brand_id = x.brand_id AND e.created_at < d.day_start)
GROUP BY 1, 2
UNION ALL
SELECT d.date_key, NULL, count(*)
FROM rollup_reach_days d
CROSS JOIN LATERAL (SELECT DISTINCT f.user_ref
                    FROM dw.fact_loyalty_transaction f
                    WHERE f.type = 'distribution' AND f.user_ref IS NOT NULL
                      AND f.created_at >= d.day_start
                      AND f.created_at < d.day_start + interval '1 day') x
WHERE d.all_brands
  AND NOT EXISTS (SELECT 1 FROM dw.fact_loyalty_transaction e
                  WHERE e.type = 'distribution' AND e.user_ref = x.user_ref
                    AND e.created_at < d.day_start)
GROUP BY 1;
ANALYZE rollup_reach;

DELETE FROM dw.agg_loyalty_reach_day a
USING rollup_reach_days d
WHERE a.date_key = d.date_key AND d.all_brands = (a.brand_id IS NULL)
  AND NOT EXISTS (SELECT 1 FROM rollup_reach n
                  WHERE n.date_key = a.date_key AND n.brand_id IS NOT DISTINCT FROM a.brand_id);

INSERT INTO dw.agg_loyalty_reach_day AS a (date_key, brand_id, first_reached)
SELECT n.date_key, n.brand_id, n.first_reached
FROM rollup_reach n
ON CONFLICT (date_key, brand_id) DO UPDATE
SET first_reached = excluded.first_reached
WHERE a.first_reached <> excluded.first_reached;
