-- Data tests of the periodic snapshots: each partner's credit roll-forward
-- holds month to month and its monthly flows tie out to the credit
-- movements; each perk's supply holds day to day and its daily claims tie
-- out to the perk claims.
--
-- A snapshot whose every row this run wrote (a first load, a new time zone)
-- is checked whole. Otherwise the check is inductive, on the partners and
-- perks the run touched: the snapshot rows this run wrote, the facts it
-- wrote (etl_run_id) and the values those replaced (pg_temp.replaced_*,
-- recorded by the transforms). Each one's rows must chain from its first
-- (no gap; balances and cumulative totals add up), and its flows must tie
-- out to the facts from the earliest month or day any of those fall in.
-- Earlier flows were tied out by the run that wrote them, and no fact in
-- them has changed since, or this run would have touched it.
-- One row per failing check: problem, failing_rows, examples.
WITH run AS (
    SELECT current_setting('almanac.run_id')::bigint AS id,
           coalesce(nullif(current_setting('almanac.timezone', true), ''), 'UTC') AS tz
),
whole AS (                      -- nothing stored by an earlier run
    SELECT NOT EXISTS (SELECT 1 FROM dw.snap_partner_credits_month s
                       WHERE s.etl_run_id <> run.id) AS partners,
           NOT EXISTS (SELECT 1 FROM dw.snap_perk_supply_day s
                       WHERE s.etl_run_id <> run.id) AS perks
    FROM run
),
-- Partner credits by month ----------------------------------------------------
partner_scope AS MATERIALIZED ( -- partner, first month to tie out (NULL: all)
    SELECT p.partner_id, NULL::date AS from_month
    FROM (SELECT partner_id FROM dw.snap_partner_credits_month GROUP BY partner_id
          UNION             -- grouped first: see perk_scope
          SELECT partner_id FROM dw.fact_credit_movement WHERE partner_id IS NOT NULL
          GROUP BY partner_id) p
    WHERE (SELECT partners FROM whole)  -- a one-time filter: else both are read
    UNION ALL
    SELECT t.partner_id, min(t.month_start)
    FROM (SELECT s.partner_id, s.month_start
          FROM dw.snap_partner_credits_month s, run  -- run BRIN (migration 022)
          WHERE s.etl_run_id = current_setting('almanac.run_id')::bigint
          UNION ALL
          SELECT f.partner_id, date_trunc('month', f.created_at AT TIME ZONE run.tz)::date
          FROM dw.fact_credit_movement f, run  -- run BRIN: a constant, not a join
          WHERE f.etl_run_id = current_setting('almanac.run_id')::bigint
          UNION ALL
          SELECT r.partner_id, date_trunc('month', r.created_at AT TIME ZONE run.tz)::date
          FROM pg_temp.replaced_credit_movements r, run) t,
         whole
    WHERE NOT whole.partners AND t.partner_id IS NOT NULL
    GROUP BY t.partner_id
),
months_read AS (               -- the rows from the first month to tie out, and
                                -- the stored row just before it (earlier rows
                                -- were checked by the runs that wrote them)
    SELECT s.*, p.from_month,
           lag(s.month_start) OVER w AS prev_month,
           lag(s.closing_balance_credits) OVER w AS prev_closing,
           lag(s.cum_bought_credits) OVER w AS prev_bought,
           lag(s.cum_allocated_credits) OVER w AS prev_allocated,
           lag(s.cum_consumed_credits) OVER w AS prev_consumed,
           lag(s.cum_refunded_credits) OVER w AS prev_refunded
    FROM partner_scope p
    JOIN dw.snap_partner_credits_month s
      ON s.partner_id = p.partner_id
     AND s.month_start >= coalesce((SELECT max(b.month_start) FROM dw.snap_partner_credits_month b
                                    WHERE b.partner_id = p.partner_id
                                      AND b.month_start < p.from_month),
                                   p.from_month, '-infinity')
    WINDOW w AS (PARTITION BY s.partner_id ORDER BY s.month_start)
),
months AS (
    SELECT * FROM months_read m WHERE m.from_month IS NULL OR m.month_start >= m.from_month
),
fact_months AS (                -- the movements' flows, from each first month
    SELECT f.partner_id, date_trunc('month', f.created_at AT TIME ZONE run.tz)::date AS month_start,
           coalesce(sum(f.credits) FILTER (WHERE f.kind = 'purchase'), 0) AS bought,
           coalesce(sum(f.credits) FILTER (WHERE f.kind = 'allocation'), 0) AS allocated,
           coalesce(sum(f.credits) FILTER (WHERE f.kind = 'consumption'), 0) AS consumed,
           coalesce(sum(f.credits) FILTER (WHERE f.kind = 'refund'), 0) AS refunded,
           count(*) FILTER (WHERE f.kind = 'purchase') AS purchases,
           coalesce(sum(f.amount_usd) FILTER (WHERE f.kind = 'purchase'), 0) AS purchases_usd,
           coalesce(sum(f.amount_usd) FILTER (WHERE f.kind = 'refund'), 0) AS refunded_usd
    FROM (SELECT f.* FROM dw.fact_credit_movement f            -- whole: one scan
          WHERE (SELECT partners FROM whole) AND f.partner_id IS NOT NULL
          UNION ALL
          SELECT f.*
          FROM partner_scope p
          CROSS JOIN run
          CROSS JOIN whole
          CROSS JOIN LATERAL (  -- else one range of the partner index per partner
              SELECT f.* FROM dw.fact_credit_movement f
              WHERE f.partner_id = p.partner_id
                AND f.created_at >= p.from_month::timestamp AT TIME ZONE run.tz
              OFFSET 0) f
          WHERE NOT whole.partners) f,
         run
    WHERE f.kind IN ('purchase', 'allocation', 'consumption', 'refund')
    GROUP BY 1, 2
),
-- Perk supply by day ------------------------------------------------------------
perk_scope AS MATERIALIZED (    -- perk, first day to tie out (NULL: all)
    SELECT p.perk_id, NULL::date AS from_day
    FROM (SELECT perk_id FROM dw.dim_perk
          UNION             -- grouped first, so the planner expects as many
                            -- groups as perks, not as rows: it sizes a hash
                            -- table by that guess when the statement starts,
                            -- even in a run that never takes this branch
                            -- (a 1-million-row guess cost 0.2 s a run)
          SELECT perk_id FROM dw.snap_perk_supply_day GROUP BY perk_id) p
    WHERE (SELECT perks FROM whole)
    UNION ALL
    SELECT t.perk_id, CASE WHEN bool_or(t.day IS NULL) THEN NULL ELSE min(t.day) END
    FROM (SELECT s.perk_id, s.day
          FROM dw.snap_perk_supply_day s, run  -- (as above)
          WHERE s.etl_run_id = current_setting('almanac.run_id')::bigint
          UNION ALL
          SELECT f.perk_id, (f.created_at AT TIME ZONE run.tz)::date
          FROM dw.fact_loyalty_transaction f, run  -- (as above)
          WHERE f.etl_run_id = current_setting('almanac.run_id')::bigint
            AND f.type = 'perk_claim'
          UNION ALL
          SELECT r.perk_id, (r.created_at AT TIME ZONE run.tz)::date
          FROM pg_temp.replaced_loyalty_transactions r, run
          WHERE r.type = 'perk_claim'
          UNION ALL             -- a perk whose supply changed: every day
          SELECT p.perk_id, NULL
          FROM dw.dim_perk p, run
          WHERE p.etl_run_id = run.id) t,
         whole
    WHERE NOT whole.perks AND t.perk_id IS NOT NULL
    GROUP BY t.perk_id
),
days_read AS (                 -- (as for months)
    SELECT s.*, p.from_day,
           lag(s.day) OVER w AS prev_day,
           lag(s.cum_claims) OVER w AS prev_cum_claims
    FROM perk_scope p
    JOIN dw.snap_perk_supply_day s
      ON s.perk_id = p.perk_id
     AND s.day >= coalesce((SELECT max(b.day) FROM dw.snap_perk_supply_day b
                            WHERE b.perk_id = p.perk_id AND b.day < p.from_day),
                           p.from_day, '-infinity')
    WINDOW w AS (PARTITION BY s.perk_id ORDER BY s.day)
),
days AS (
    SELECT * FROM days_read d WHERE d.from_day IS NULL OR d.day >= d.from_day
),
fact_days AS (                  -- the claims per day, from each first day
    SELECT f.perk_id, (f.created_at AT TIME ZONE run.tz)::date AS day,
           count(*) AS claims, coalesce(sum(f.rsnc_amount), 0) AS rsnc_claimed
    FROM (SELECT f.* FROM dw.fact_loyalty_transaction f        -- whole: one scan
          WHERE (SELECT perks FROM whole) AND f.perk_id IS NOT NULL
          UNION ALL
          SELECT f.*
          FROM perk_scope p
          CROSS JOIN run
          CROSS JOIN whole
          CROSS JOIN LATERAL (  -- else one range of the perk index per perk
              SELECT f.* FROM dw.fact_loyalty_transaction f
              WHERE f.perk_id = p.perk_id
                AND f.created_at >= coalesce(p.from_day::timestamp AT TIME ZONE run.tz,
                                             '-infinity')
              OFFSET 0) f
          WHERE NOT whole.perks) f,
         run
    WHERE f.type = 'perk_claim'
    GROUP BY 1, 2
),
problems AS (
    SELECT m.partner_id || ' ' || m.year_month AS key,
           'snapshot: dw.snap_partner_credits_month closing <> opening + bought - consumed - refunded'
               AS problem
    FROM months m
    WHERE m.closing_balance_credits
          <> m.opening_balance_credits + m.bought_credits - m.consumed_credits - m.refunded_credits
       OR m.closing_balance_credits
          <> m.cum_bought_credits - m.cum_consumed_credits - m.cum_refunded_credits
    UNION ALL
    SELECT m.partner_id || ' ' || m.year_month,
           'snapshot: dw.snap_partner_credits_month opening <> closing of the month before'
    FROM months m
    WHERE m.opening_balance_credits <> coalesce(m.prev_closing, 0)
    UNION ALL
    SELECT m.partner_id || ' ' || m.year_month,
           'snapshot: dw.snap_partner_credits_month skips a month'
    FROM months m
    WHERE m.prev_month IS NOT NULL AND m.month_start <> (m.prev_month + interval '1 month')::date
    UNION ALL
    SELECT m.partner_id || ' ' || m.year_month,
           'snapshot: dw.snap_partner_credits_month cumulative totals do not add up month to month'
    FROM months m
    WHERE (m.cum_bought_credits, m.cum_allocated_credits, m.cum_consumed_credits,
           m.cum_refunded_credits, m.unallocated_credits)
          IS DISTINCT FROM
          (coalesce(m.prev_bought, 0) + m.bought_credits,
           coalesce(m.prev_allocated, 0) + m.allocated_credits,
           coalesce(m.prev_consumed, 0) + m.consumed_credits,
           coalesce(m.prev_refunded, 0) + m.refunded_credits,
           m.cum_bought_credits - m.cum_allocated_credits)
    UNION ALL
    SELECT coalesce(m.partner_id, x.partner_id) || ' '
               || to_char(coalesce(m.month_start, x.month_start), 'YYYY-MM'),
           'snapshot: dw.snap_partner_credits_month flows do not tie out to dw.fact_credit_movement'
    FROM (SELECT * FROM months m WHERE m.from_month IS NULL OR m.month_start >= m.from_month) m
    FULL JOIN fact_months x ON x.partner_id = m.partner_id AND x.month_start = m.month_start
    WHERE (m.bought_credits, m.allocated_credits, m.consumed_credits, m.refunded_credits,
           m.purchases, m.purchases_usd, m.refunded_usd)
          IS DISTINCT FROM
          (coalesce(x.bought, 0), coalesce(x.allocated, 0), coalesce(x.consumed, 0),
           coalesce(x.refunded, 0), coalesce(x.purchases, 0), coalesce(x.purchases_usd, 0),
           coalesce(x.refunded_usd, 0))
    UNION ALL
    SELECT d.perk_id || ' ' || d.day,
           'snapshot: dw.snap_perk_supply_day remaining_supply <> total_supply - cum_claims'
    FROM days d
    WHERE d.remaining_supply IS DISTINCT FROM d.total_supply - d.cum_claims
    UNION ALL
    SELECT d.perk_id || ' ' || d.day, 'snapshot: dw.snap_perk_supply_day skips a day'
    FROM days d
    WHERE d.prev_day IS NOT NULL AND d.day <> d.prev_day + 1
    UNION ALL
    SELECT d.perk_id || ' ' || d.day,
           'snapshot: dw.snap_perk_supply_day cum_claims do not add up day to day'
    FROM days d
    WHERE d.cum_claims <> coalesce(d.prev_cum_claims, 0) + d.claims
    UNION ALL
    SELECT coalesce(d.perk_id, x.perk_id) || ' ' || coalesce(d.day, x.day),
           'snapshot: dw.snap_perk_supply_day claims do not tie out to dw.fact_loyalty_transaction'
    FROM (SELECT * FROM days d WHERE d.from_day IS NULL OR d.day >= d.from_day) d
    FULL JOIN fact_days x ON x.perk_id = d.perk_id AND x.day = d.day
    WHERE (d.claims, d.rsnc_claimed)
          IS DISTINCT FROM (coalesce(x.claims, 0), coalesce(x.rsnc_claimed, 0))
)
SELECT problem, count(*) AS failing_rows,
       array_to_string((array_agg(key ORDER BY key))[1:5], ', ') AS examples
FROM problems
GROUP BY problem
