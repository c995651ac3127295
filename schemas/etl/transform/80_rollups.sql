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
-- which other days' rows decide; only the users this run touched can have
-- theirs move, so the counts change by the difference between those
-- users' first distributions now and before the run (below), read through
-- fact_loyalty_transaction_reach_idx: no day is recounted.
--
-- Every temporary table is analysed as soon as it is filled: the planner
-- otherwise guesses a thousand rows and hashes a whole rollup or the reach
-- index to probe a handful. Keys with NULLs are matched as a value and a
-- NULL flag, both hashable: IS NOT DISTINCT FROM is not, and hashing a
-- day's rows on date and kind alone compared 350,000 pairs at scale 10.
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
                    AND coalesce(n.partner_id, 0) = coalesce(a.partner_id, 0)
                    AND (n.partner_id IS NULL) = (a.partner_id IS NULL)
                    AND coalesce(n.b2c_user_id, 0) = coalesce(a.b2c_user_id, 0)
                    AND (n.b2c_user_id IS NULL) = (a.b2c_user_id IS NULL));

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
                    AND coalesce(n.brand_id, 0) = coalesce(a.brand_id, 0)
                    AND (n.brand_id IS NULL) = (a.brand_id IS NULL)
                    AND coalesce(n.perk_id, 0) = coalesce(a.perk_id, 0)
                    AND (n.perk_id IS NULL) = (a.perk_id IS NULL));

INSERT INTO dw.agg_loyalty_day AS a (date_key, brand_id, type, perk_id, rsnc_amount, transactions)
SELECT n.date_key, n.brand_id, n.type, n.perk_id, n.rsnc_amount, n.transactions
FROM rollup_loyalty n
ON CONFLICT (date_key, brand_id, type, perk_id) DO UPDATE
SET rsnc_amount = excluded.rsnc_amount, transactions = excluded.transactions
WHERE (a.rsnc_amount, a.transactions) IS DISTINCT FROM (excluded.rsnc_amount, excluded.transactions);

-- Customers reached -----------------------------------------------------------
-- The distributions this run wrote (new values) and overwrote (old values).
CREATE TEMP TABLE rollup_reach_rows ON COMMIT DROP AS
SELECT true AS written, f.user_ref, f.brand_id, f.created_at
FROM dw.fact_loyalty_transaction f
WHERE f.etl_run_id = current_setting('almanac.run_id')::bigint AND f.type = 'distribution'
  AND f.user_ref IS NOT NULL AND f.created_at IS NOT NULL
  AND NOT (SELECT reach FROM rollup_full)
UNION ALL
SELECT false, r.user_ref, r.brand_id, r.created_at
FROM pg_temp.replaced_loyalty_transactions r
WHERE r.type = 'distribution' AND r.user_ref IS NOT NULL AND r.created_at IS NOT NULL
  AND NOT (SELECT reach FROM rollup_full);
ANALYZE rollup_reach_rows;

-- The users whose first distribution, of a brand or of any, may have
-- moved: a touched user (or user and brand) with a distribution earlier
-- than everything the run wrote or overwrote for it keeps that one as its
-- first, before the run and after. One probe of the reach index each; at
-- scale 10 a day's 7,000 users are almost all such, and their histories
-- (13 distributions each after a few benchmark days) are then not read.
-- For the others, the first distributions now and before the run, as
-- deltas to the days' counts: -1 where a first was, +1 where it is. Now:
-- the user's distributions, one range of the reach index each. Before:
-- the same less what the run wrote, plus what it overwrote (as values: for
-- a minimum, equal rows are interchangeable, and a row re-read unchanged,
-- counted twice, changes no minimum).
CREATE TEMP TABLE rollup_reach ON COMMIT DROP AS
WITH touched_pairs AS (
    SELECT user_ref, brand_id, min(created_at) AS since
    FROM rollup_reach_rows WHERE brand_id IS NOT NULL
    GROUP BY 1, 2
), touched_users AS (
    SELECT user_ref, min(created_at) AS since
    FROM rollup_reach_rows
    GROUP BY 1
), users AS (
    SELECT p.user_ref
    FROM touched_pairs p
    WHERE NOT EXISTS (SELECT 1 FROM dw.fact_loyalty_transaction f
                      WHERE f.type = 'distribution' AND f.user_ref = p.user_ref
                        AND f.brand_id = p.brand_id AND f.created_at < p.since)
    UNION
    SELECT u.user_ref
    FROM touched_users u
    WHERE NOT EXISTS (SELECT 1 FROM dw.fact_loyalty_transaction f
                      WHERE f.type = 'distribution' AND f.user_ref = u.user_ref
                        AND f.created_at < u.since)
), now_rows AS (
    SELECT u.user_ref, f.brand_id, f.created_at
    FROM users u
    CROSS JOIN LATERAL (SELECT f.brand_id, f.created_at FROM dw.fact_loyalty_transaction f
                        WHERE f.type = 'distribution' AND f.user_ref = u.user_ref
                          AND f.created_at IS NOT NULL
                        OFFSET 0) f
), before_rows AS (
    (SELECT user_ref, brand_id, created_at FROM now_rows
     EXCEPT ALL
     SELECT user_ref, brand_id, created_at FROM rollup_reach_rows WHERE written)
    UNION ALL
    SELECT r.user_ref, r.brand_id, r.created_at
    FROM rollup_reach_rows r JOIN users u ON u.user_ref = r.user_ref
    WHERE NOT r.written
), firsts AS (
    SELECT 1 AS sign, user_ref, brand_id, grouping(brand_id) = 1 AS all_brands,
           min(created_at) AS first_at
    FROM now_rows
    GROUP BY GROUPING SETS ((user_ref, brand_id), (user_ref))
    UNION ALL
    SELECT -1, user_ref, brand_id, grouping(brand_id) = 1, min(created_at)
    FROM before_rows
    GROUP BY GROUPING SETS ((user_ref, brand_id), (user_ref))
)
SELECT to_char(first_at AT TIME ZONE 'UTC', 'YYYYMMDD')::integer AS date_key,
       CASE WHEN NOT all_brands THEN brand_id END AS brand_id, sum(sign) AS delta
FROM firsts
WHERE all_brands OR brand_id IS NOT NULL
GROUP BY 1, 2
HAVING sum(sign) <> 0;
ANALYZE rollup_reach;

INSERT INTO dw.agg_loyalty_reach_day AS a (date_key, brand_id, first_reached)
SELECT date_key, brand_id, delta FROM rollup_reach
ON CONFLICT (date_key, brand_id) DO UPDATE
SET first_reached = a.first_reached + excluded.first_reached;

DELETE FROM dw.agg_loyalty_reach_day a
USING rollup_reach n
WHERE a.date_key = n.date_key AND a.brand_id IS NOT DISTINCT FROM n.brand_id
  AND a.first_reached = 0;
