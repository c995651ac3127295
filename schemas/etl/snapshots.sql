-- Periodic snapshots, refreshed after the transforms. Needs almanac.run_id;
-- reads almanac.timezone (the business time zone, an IANA name; default
-- UTC): months and days are cut at its midnight.
--
-- Incremental: a partner or perk this run touched is recomputed from the
-- first month or day the run touched onward, starting from the cumulative
-- balances of the stored row just before it; earlier rows cannot change.
-- "Touched" covers the movements and claims the run wrote and the values
-- it overwrote (pg_temp.replaced_*, captured by the transforms before their
-- MERGE), so a movement moved to another month or partner is taken out
-- where it was. When that earlier row is not stored (a partner or perk new
-- to the snapshot, or a movement dated before its first month) the whole
-- history of that one partner or perk is recomputed, as for a perk whose
-- supply or brand changed. Untouched ones only get rows for the new months
-- or days since the last refresh, carrying their balances forward.
-- Everything is recomputed when the snapshots are empty or the time zone
-- changed. In both modes the computed rows are compared with the stored
-- ones and only differences are written, so a re-run of the same batch
-- changes nothing.
-- Flows are added to the zero rows of the calendar by aggregation rather
-- than joined to them: the planner cannot estimate the flows and a join
-- plan chosen on a low guess went quadratic (38 million rows filtered for
-- 100,000 perk days on a first load).

-- Partner credits by month -----------------------------------------------------
WITH tz AS (
    SELECT coalesce(nullif(current_setting('almanac.timezone', true), ''), 'UTC') AS name
),
stored AS (                     -- every refresh writes the time zone on all rows it
                                -- touches, so the latest month's rows tell it
    SELECT l.last_month,
           EXISTS (SELECT 1 FROM dw.snap_partner_credits_month s
                   WHERE s.month_start = l.last_month AND s.time_zone <> tz.name) AS tz_changed
    FROM (SELECT max(month_start) AS last_month FROM dw.snap_partner_credits_month) l, tz
),
run_rows AS MATERIALIZED (      -- the movements this run wrote: its good staged
                                -- rows and the earlier rejects it loaded (both
                                -- small, unlike the fact)
    SELECT partner_id, created_at FROM staging.credit_transactions WHERE _reject_code IS NULL
    UNION ALL
    SELECT f.partner_id, f.created_at
    FROM etl.rejects r
    JOIN dw.fact_credit_movement f
      ON f.credit_transaction_id = CASE WHEN r.source_key ~ '^[0-9]{1,18}$'
                                        THEN r.source_key::bigint END
    WHERE r.source_table = 'credit_transactions' AND r.resolution = 'loaded'
      AND r.resolved_run_id = current_setting('almanac.run_id')::bigint
),
run_max AS (                    -- the latest movement this run wrote
    SELECT max(created_at) AS t FROM run_rows
),
mode AS (
    SELECT st.last_month IS NULL OR st.tz_changed AS full_refresh,
           st.last_month AS stored_last,
           greatest(st.last_month, date_trunc('month', r.t AT TIME ZONE tz.name)::date) AS new_last
    FROM stored st, run_max r, tz
),
touched AS (                    -- per partner, the first month this run wrote or overwrote
    SELECT t.partner_id, date_trunc('month', min(t.created_at) AT TIME ZONE tz.name)::date AS month
    FROM (SELECT partner_id, created_at FROM run_rows
          UNION ALL
          SELECT partner_id, created_at FROM pg_temp.replaced_credit_movements) t,
         tz
    WHERE t.partner_id IS NOT NULL
    GROUP BY t.partner_id, tz.name
),
starts AS MATERIALIZED (        -- the partners recomputed: from which month (NULL:
                                -- their whole history) and the balances before it
    SELECT t.partner_id, CASE WHEN b.partner_id IS NOT NULL THEN t.month END AS month,
           CASE WHEN b.partner_id IS NOT NULL THEN t.month::timestamp AT TIME ZONE tz.name
                ELSE '-infinity' END AS start_at,
           coalesce(b.cum_bought_credits, 0) AS cum_bought,
           coalesce(b.cum_allocated_credits, 0) AS cum_allocated,
           coalesce(b.cum_consumed_credits, 0) AS cum_consumed,
           coalesce(b.cum_refunded_credits, 0) AS cum_refunded
    FROM touched t
    CROSS JOIN mode
    CROSS JOIN tz
    LEFT JOIN dw.snap_partner_credits_month b
           ON b.partner_id = t.partner_id AND b.month_start = (t.month - interval '1 month')::date
    WHERE NOT mode.full_refresh
    UNION ALL
    SELECT DISTINCT f.partner_id, NULL::date, '-infinity'::timestamptz, 0, 0, 0, 0
    FROM dw.fact_credit_movement f
    WHERE (SELECT full_refresh FROM mode) AND f.partner_id IS NOT NULL
),
flows AS (
    SELECT f.partner_id,
           date_trunc('month', f.created_at AT TIME ZONE tz.name)::date AS month_start,
           coalesce(sum(f.credits) FILTER (WHERE f.kind = 'purchase'), 0) AS bought,
           coalesce(sum(f.credits) FILTER (WHERE f.kind = 'allocation'), 0) AS allocated,
           coalesce(sum(f.credits) FILTER (WHERE f.kind = 'consumption'), 0) AS consumed,
           coalesce(sum(f.credits) FILTER (WHERE f.kind = 'refund'), 0) AS refunded,
           count(*) FILTER (WHERE f.kind = 'purchase') AS purchases,
           coalesce(sum(f.amount_usd) FILTER (WHERE f.kind = 'purchase'), 0) AS purchases_usd,
           coalesce(sum(f.amount_usd) FILTER (WHERE f.kind = 'refund'), 0) AS refunded_usd
    FROM (SELECT f.* FROM dw.fact_credit_movement f
          WHERE (SELECT full_refresh FROM mode) AND f.partner_id IS NOT NULL
          UNION ALL
          SELECT f.*
          FROM starts s
          CROSS JOIN mode
          CROSS JOIN LATERAL (      -- one range of the partner index per partner;
                                    -- OFFSET 0 keeps the planner from hashing
                                    -- every movement of every partner instead
              SELECT f.* FROM dw.fact_credit_movement f
              WHERE f.partner_id = s.partner_id AND f.created_at >= s.start_at
              OFFSET 0) f
          WHERE NOT mode.full_refresh) f,
         tz
    WHERE f.kind IN ('purchase', 'allocation', 'consumption', 'refund')
    GROUP BY 1, 2
),
last_month AS MATERIALIZED (    -- the latest month with any movement at all; computed once
    SELECT CASE WHEN mode.full_refresh
                THEN (SELECT date_trunc('month', max(f.created_at) AT TIME ZONE tz.name)::date
                      FROM dw.fact_credit_movement f)
                ELSE mode.new_last END AS month_start
    FROM mode, tz
),
grid AS (                       -- every month recomputed, from the start (or the
                                -- first movement) to the last month
    SELECT s.partner_id, g::date AS month_start
    FROM starts s
    LEFT JOIN (SELECT partner_id, min(month_start) AS first_month FROM flows GROUP BY partner_id) b
           ON b.partner_id = s.partner_id
    CROSS JOIN last_month l
    CROSS JOIN LATERAL generate_series(coalesce(s.month, b.first_month), l.month_start,
                                       interval '1 month') AS g
),
monthly AS (                    -- the grid's months with their flows (zero if none)
    SELECT x.partner_id, x.month_start,
           sum(x.bought) AS bought, sum(x.allocated) AS allocated, sum(x.consumed) AS consumed,
           sum(x.refunded) AS refunded, sum(x.purchases) AS purchases,
           sum(x.purchases_usd) AS purchases_usd, sum(x.refunded_usd) AS refunded_usd
    FROM (SELECT partner_id, month_start, 0 AS bought, 0 AS allocated, 0 AS consumed,
                 0 AS refunded, 0 AS purchases, 0 AS purchases_usd, 0 AS refunded_usd
          FROM grid
          UNION ALL
          SELECT fl.partner_id, fl.month_start, fl.bought, fl.allocated, fl.consumed,
                 fl.refunded, fl.purchases, fl.purchases_usd, fl.refunded_usd
          FROM flows fl, last_month l
          WHERE fl.month_start <= l.month_start) x
    GROUP BY 1, 2
),
running AS (
    SELECT m.*,
           s.cum_bought + sum(m.bought) OVER w AS cum_bought,
           s.cum_allocated + sum(m.allocated) OVER w AS cum_allocated,
           s.cum_consumed + sum(m.consumed) OVER w AS cum_consumed,
           s.cum_refunded + sum(m.refunded) OVER w AS cum_refunded
    FROM monthly m
    JOIN starts s ON s.partner_id = m.partner_id
    WINDOW w AS (PARTITION BY m.partner_id ORDER BY m.month_start)
),
recomputed AS (
    SELECT r.partner_id, r.month_start, to_char(r.month_start, 'YYYY-MM') AS year_month,
           r.bought, r.allocated, r.consumed, r.refunded, r.purchases, r.purchases_usd,
           r.refunded_usd,
           (r.cum_bought - r.cum_consumed - r.cum_refunded)
             - (r.bought - r.consumed - r.refunded) AS opening_balance,
           r.cum_bought - r.cum_consumed - r.cum_refunded AS closing_balance,
           r.cum_bought, r.cum_allocated, r.cum_consumed, r.cum_refunded,
           r.cum_bought - r.cum_allocated AS unallocated,
           tz.name AS time_zone
    FROM running r, tz
),
carried AS (                    -- untouched partners: the new months, nothing moved
    SELECT s.partner_id, g::date AS month_start, to_char(g, 'YYYY-MM') AS year_month,
           0::bigint AS bought, 0::bigint AS allocated, 0::bigint AS consumed,
           0::bigint AS refunded, 0::bigint AS purchases, 0::numeric AS purchases_usd,
           0::numeric AS refunded_usd,
           s.closing_balance_credits AS opening_balance, s.closing_balance_credits AS closing_balance,
           s.cum_bought_credits, s.cum_allocated_credits, s.cum_consumed_credits,
           s.cum_refunded_credits, s.unallocated_credits, s.time_zone
    FROM dw.snap_partner_credits_month s
    CROSS JOIN mode
    CROSS JOIN LATERAL generate_series(mode.stored_last + interval '1 month', mode.new_last,
                                       interval '1 month') AS g
    WHERE NOT mode.full_refresh
      AND s.month_start = mode.stored_last
      AND NOT EXISTS (SELECT 1 FROM starts t WHERE t.partner_id = s.partner_id)
),
desired AS (
    SELECT * FROM recomputed
    UNION ALL
    SELECT * FROM carried
),
changed AS (                   -- new rows and rows whose values differ
    SELECT d.*
    FROM desired d
    LEFT JOIN LATERAL (SELECT * FROM dw.snap_partner_credits_month s
                       WHERE s.partner_id = d.partner_id AND s.month_start = d.month_start
                       OFFSET 0) s ON true  -- by key: no hash of every stored row
    WHERE s.partner_id IS NULL
       OR (s.year_month, s.bought_credits, s.allocated_credits, s.consumed_credits,
           s.refunded_credits, s.purchases, s.purchases_usd, s.refunded_usd,
           s.opening_balance_credits, s.closing_balance_credits, s.cum_bought_credits,
           s.cum_allocated_credits, s.cum_consumed_credits, s.cum_refunded_credits,
           s.unallocated_credits, s.time_zone)
          IS DISTINCT FROM
          (d.year_month, d.bought, d.allocated, d.consumed, d.refunded, d.purchases,
           d.purchases_usd, d.refunded_usd, d.opening_balance, d.closing_balance, d.cum_bought,
           d.cum_allocated, d.cum_consumed, d.cum_refunded, d.unallocated, d.time_zone)
),
removed_all AS (               -- rows no longer wanted: a full refresh
    DELETE FROM dw.snap_partner_credits_month s
    WHERE (SELECT full_refresh FROM mode)  -- a one-time filter: else every row is read
      AND NOT EXISTS (SELECT 1 FROM desired d
                      WHERE d.partner_id = s.partner_id AND d.month_start = s.month_start)
),
removed AS (                   -- rows no longer wanted among those recomputed: one
                               -- range of the key per partner, deleted by ctid (a
                               -- join read every row)
    DELETE FROM dw.snap_partner_credits_month s
    WHERE NOT (SELECT full_refresh FROM mode)
      AND s.ctid = ANY (ARRAY(
          SELECT x.tid
          FROM starts t
          CROSS JOIN LATERAL (SELECT s.ctid AS tid, s.partner_id, s.month_start
                              FROM dw.snap_partner_credits_month s
                              WHERE s.partner_id = t.partner_id
                                AND s.month_start >= coalesce(t.month, '-infinity')
                              OFFSET 0) x
          WHERE NOT EXISTS (SELECT 1 FROM desired d
                            WHERE d.partner_id = x.partner_id AND d.month_start = x.month_start)))
)
INSERT INTO dw.snap_partner_credits_month AS s
       (partner_id, month_start, year_month, bought_credits, allocated_credits, consumed_credits,
        refunded_credits, purchases, purchases_usd, refunded_usd, opening_balance_credits,
        closing_balance_credits, cum_bought_credits, cum_allocated_credits,
        cum_consumed_credits, cum_refunded_credits, unallocated_credits, time_zone, etl_run_id)
SELECT partner_id, month_start, year_month, bought, allocated, consumed, refunded, purchases,
       purchases_usd, refunded_usd, opening_balance, closing_balance, cum_bought, cum_allocated,
       cum_consumed, cum_refunded, unallocated, time_zone,
       current_setting('almanac.run_id')::bigint
FROM changed
ON CONFLICT (partner_id, month_start) DO UPDATE
SET year_month = excluded.year_month, bought_credits = excluded.bought_credits,
    allocated_credits = excluded.allocated_credits, consumed_credits = excluded.consumed_credits,
    refunded_credits = excluded.refunded_credits, purchases = excluded.purchases,
    purchases_usd = excluded.purchases_usd, refunded_usd = excluded.refunded_usd,
    opening_balance_credits = excluded.opening_balance_credits,
    closing_balance_credits = excluded.closing_balance_credits,
    cum_bought_credits = excluded.cum_bought_credits,
    cum_allocated_credits = excluded.cum_allocated_credits,
    cum_consumed_credits = excluded.cum_consumed_credits,
    cum_refunded_credits = excluded.cum_refunded_credits,
    unallocated_credits = excluded.unallocated_credits, time_zone = excluded.time_zone,
    etl_run_id = excluded.etl_run_id
WHERE (s.year_month, s.bought_credits, s.allocated_credits, s.consumed_credits,
       s.refunded_credits, s.purchases, s.purchases_usd, s.refunded_usd,
       s.opening_balance_credits, s.closing_balance_credits, s.cum_bought_credits,
       s.cum_allocated_credits, s.cum_consumed_credits, s.cum_refunded_credits,
       s.unallocated_credits, s.time_zone)
      IS DISTINCT FROM (excluded.year_month, excluded.bought_credits,
                        excluded.allocated_credits, excluded.consumed_credits,
                        excluded.refunded_credits, excluded.purchases, excluded.purchases_usd,
                        excluded.refunded_usd, excluded.opening_balance_credits,
                        excluded.closing_balance_credits, excluded.cum_bought_credits,
                        excluded.cum_allocated_credits, excluded.cum_consumed_credits,
                        excluded.cum_refunded_credits, excluded.unallocated_credits,
                        excluded.time_zone);

-- Perk supply by day -------------------------------------------------------------
WITH tz AS (
    SELECT coalesce(nullif(current_setting('almanac.timezone', true), ''), 'UTC') AS name
),
stored AS (                     -- as above: the latest day's rows tell the time zone
    SELECT l.last_day,
           EXISTS (SELECT 1 FROM dw.snap_perk_supply_day s
                   WHERE s.day = l.last_day AND s.time_zone <> tz.name) AS tz_changed
    FROM (SELECT max(day) AS last_day FROM dw.snap_perk_supply_day) l, tz
),
run_rows AS MATERIALIZED (      -- the loyalty transactions this run wrote (as above)
    SELECT type, perk_id, created_at
    FROM staging.loyalty_transactions WHERE _reject_code IS NULL
    UNION ALL
    SELECT f.type, f.perk_id, f.created_at
    FROM etl.rejects r
    JOIN dw.fact_loyalty_transaction f
      ON f.loyalty_transaction_id = CASE WHEN r.source_key ~ '^[0-9]{1,18}$'
                                         THEN r.source_key::bigint END
    WHERE r.source_table = 'loyalty_transactions' AND r.resolution = 'loaded'
      AND r.resolved_run_id = current_setting('almanac.run_id')::bigint
),
run_max AS (                    -- the latest loyalty transaction this run wrote
    SELECT max(created_at) AS t FROM run_rows
),
mode AS (
    SELECT st.last_day IS NULL OR st.tz_changed AS full_refresh,
           st.last_day AS stored_last,
           greatest(st.last_day, (r.t AT TIME ZONE tz.name)::date) AS new_last
    FROM stored st, run_max r, tz
),
touched AS (                    -- per perk, the first day this run wrote or overwrote
                                -- a claim; NULL (everything) when the perk itself
                                -- changed: its supply counts on every day
    SELECT t.perk_id, CASE WHEN bool_or(t.day IS NULL) THEN NULL ELSE min(t.day) END AS day
    FROM (SELECT c.perk_id, (c.created_at AT TIME ZONE tz.name)::date AS day
          FROM (SELECT type, perk_id, created_at FROM run_rows
                UNION ALL
                SELECT type, perk_id, created_at FROM pg_temp.replaced_loyalty_transactions) c,
               tz
          WHERE c.type = 'perk_claim' AND c.perk_id IS NOT NULL
          UNION ALL
          SELECT p.perk_id, NULL FROM dw.dim_perk p
          WHERE p.etl_run_id = current_setting('almanac.run_id')::bigint) t
    GROUP BY t.perk_id
),
starts AS MATERIALIZED (        -- the perks recomputed: from which day (NULL: their
                                -- whole history) and the claims before it
    SELECT t.perk_id, CASE WHEN b.perk_id IS NOT NULL THEN t.day END AS day,
           CASE WHEN b.perk_id IS NOT NULL THEN t.day::timestamp AT TIME ZONE tz.name
                ELSE '-infinity' END AS start_at,
           coalesce(b.cum_claims, 0) AS cum_claims
    FROM touched t
    CROSS JOIN mode
    CROSS JOIN tz
    LEFT JOIN dw.snap_perk_supply_day b ON b.perk_id = t.perk_id AND b.day = t.day - 1
    WHERE NOT mode.full_refresh
    UNION ALL
    SELECT p.perk_id, NULL::date, '-infinity'::timestamptz, 0
    FROM dw.dim_perk p
    WHERE (SELECT full_refresh FROM mode)
),
claims AS (
    SELECT f.perk_id, (f.created_at AT TIME ZONE tz.name)::date AS day,
           count(*) AS claims, coalesce(sum(f.rsnc_amount), 0) AS rsnc_claimed
    FROM (SELECT f.* FROM dw.fact_loyalty_transaction f
          WHERE (SELECT full_refresh FROM mode) AND f.perk_id IS NOT NULL
          UNION ALL
          SELECT f.*
          FROM starts s
          CROSS JOIN mode
          CROSS JOIN LATERAL (      -- one range of the perk index per perk (as above)
              SELECT f.* FROM dw.fact_loyalty_transaction f
              WHERE f.perk_id = s.perk_id AND f.created_at >= s.start_at
              OFFSET 0) f
          WHERE NOT mode.full_refresh) f,
         tz
    WHERE f.type = 'perk_claim'
    GROUP BY 1, 2
),
last_day AS MATERIALIZED (      -- the latest day with any loyalty transaction; computed once
    SELECT CASE WHEN mode.full_refresh
                THEN (SELECT (max(f.created_at) AT TIME ZONE tz.name)::date
                      FROM dw.fact_loyalty_transaction f)
                ELSE mode.new_last END AS day
    FROM mode, tz
),
first_day AS (                  -- where each perk's rows start: the touched day, or
                                -- for a whole history its creation day or first
                                -- claim if earlier
    SELECT s.perk_id,
           coalesce(s.day, least((p.created_at AT TIME ZONE tz.name)::date, c.first_claim)) AS day
    FROM starts s
    JOIN dw.dim_perk p ON p.perk_id = s.perk_id
    CROSS JOIN tz
    LEFT JOIN (SELECT perk_id, min(day) AS first_claim FROM claims GROUP BY perk_id) c
           ON c.perk_id = s.perk_id
),
grid AS (
    SELECT b.perk_id, g::date AS day
    FROM first_day b
    CROSS JOIN last_day l
    CROSS JOIN LATERAL generate_series(b.day, l.day, interval '1 day') AS g
    WHERE b.day IS NOT NULL
),
daily AS (                      -- the grid's days with their claims (zero if none)
    SELECT x.perk_id, x.day, sum(x.claims) AS claims, sum(x.rsnc_claimed) AS rsnc_claimed
    FROM (SELECT perk_id, day, 0 AS claims, 0 AS rsnc_claimed FROM grid
          UNION ALL
          SELECT c.perk_id, c.day, c.claims, c.rsnc_claimed
          FROM claims c, last_day l
          WHERE c.day <= l.day) x
    GROUP BY 1, 2
),
recomputed AS (
    SELECT d.perk_id, d.day, p.brand_id, d.claims, d.rsnc_claimed,
           s.cum_claims + sum(d.claims) OVER w AS cum_claims,
           p.total_supply,
           p.total_supply - (s.cum_claims + sum(d.claims) OVER w) AS remaining_supply,
           tz.name AS time_zone
    FROM daily d
    JOIN starts s ON s.perk_id = d.perk_id
    JOIN dw.dim_perk p ON p.perk_id = d.perk_id
    CROSS JOIN tz
    WINDOW w AS (PARTITION BY d.perk_id ORDER BY d.day)
),
carried AS (                    -- untouched perks: the new days, no claims
    SELECT s.perk_id, g::date AS day, s.brand_id, 0::bigint AS claims,
           0::numeric AS rsnc_claimed, s.cum_claims, s.total_supply, s.remaining_supply,
           s.time_zone
    FROM dw.snap_perk_supply_day s
    CROSS JOIN mode
    CROSS JOIN LATERAL generate_series(mode.stored_last + 1, mode.new_last, interval '1 day') AS g
    WHERE NOT mode.full_refresh
      AND s.day = mode.stored_last
      AND NOT EXISTS (SELECT 1 FROM starts t WHERE t.perk_id = s.perk_id)
),
desired AS (
    SELECT * FROM recomputed
    UNION ALL
    SELECT * FROM carried
),
changed AS (                   -- new rows and rows whose values differ
    SELECT d.*
    FROM desired d
    LEFT JOIN LATERAL (SELECT * FROM dw.snap_perk_supply_day s
                       WHERE s.perk_id = d.perk_id AND s.day = d.day
                       OFFSET 0) s ON true  -- (as above)
    WHERE s.perk_id IS NULL
       OR (s.brand_id, s.claims, s.rsnc_claimed, s.cum_claims, s.total_supply,
           s.remaining_supply, s.time_zone)
          IS DISTINCT FROM
          (d.brand_id, d.claims, d.rsnc_claimed, d.cum_claims, d.total_supply,
           d.remaining_supply, d.time_zone)
),
removed_all AS (               -- rows no longer wanted: a full refresh
    DELETE FROM dw.snap_perk_supply_day s
    WHERE (SELECT full_refresh FROM mode)
      AND NOT EXISTS (SELECT 1 FROM desired d WHERE d.perk_id = s.perk_id AND d.day = s.day)
),
removed AS (                   -- rows no longer wanted among those recomputed (as above)
    DELETE FROM dw.snap_perk_supply_day s
    WHERE NOT (SELECT full_refresh FROM mode)
      AND s.ctid = ANY (ARRAY(
          SELECT x.tid
          FROM starts t
          CROSS JOIN LATERAL (SELECT s.ctid AS tid, s.perk_id, s.day
                              FROM dw.snap_perk_supply_day s
                              WHERE s.perk_id = t.perk_id AND s.day >= coalesce(t.day, '-infinity')
                              OFFSET 0) x
          WHERE NOT EXISTS (SELECT 1 FROM desired d WHERE d.perk_id = x.perk_id AND d.day = x.day)))
)
INSERT INTO dw.snap_perk_supply_day AS s (perk_id, day, brand_id, claims, rsnc_claimed,
                                          cum_claims, total_supply, remaining_supply, time_zone,
                                          etl_run_id)
SELECT perk_id, day, brand_id, claims, rsnc_claimed, cum_claims, total_supply, remaining_supply,
       time_zone, current_setting('almanac.run_id')::bigint
FROM changed
ON CONFLICT (perk_id, day) DO UPDATE
SET brand_id = excluded.brand_id, claims = excluded.claims, rsnc_claimed = excluded.rsnc_claimed,
    cum_claims = excluded.cum_claims, total_supply = excluded.total_supply,
    remaining_supply = excluded.remaining_supply, time_zone = excluded.time_zone,
    etl_run_id = excluded.etl_run_id
WHERE (s.brand_id, s.claims, s.rsnc_claimed, s.cum_claims, s.total_supply, s.remaining_supply,
       s.time_zone)
      IS DISTINCT FROM (excluded.brand_id, excluded.claims, excluded.rsnc_claimed,
                        excluded.cum_claims, excluded.total_supply, excluded.remaining_supply,
                        excluded.time_zone);
