-- Data tests of the periodic snapshots, whole tables: each partner's credit
-- roll-forward holds month to month and ties out to the credit movements,
-- each perk's supply ties out to its claims.
-- One row per failing check: problem, failing_rows, examples.
WITH months AS (
    SELECT s.*,
           lag(s.closing_balance_credits) OVER w AS prev_closing,
           lag(s.month_start) OVER w AS prev_month,
           row_number() OVER (PARTITION BY s.partner_id ORDER BY s.month_start DESC) AS from_last
    FROM dw.snap_partner_credits_month s
    WINDOW w AS (PARTITION BY s.partner_id ORDER BY s.month_start)
),
partner_totals AS (
    SELECT f.partner_id,
           coalesce(sum(f.credits) FILTER (WHERE f.kind = 'purchase'), 0) AS bought,
           coalesce(sum(f.credits) FILTER (WHERE f.kind = 'allocation'), 0) AS allocated,
           coalesce(sum(f.credits) FILTER (WHERE f.kind = 'consumption'), 0) AS consumed,
           coalesce(sum(f.credits) FILTER (WHERE f.kind = 'refund'), 0) AS refunded
    FROM dw.fact_credit_movement f
    WHERE f.partner_id IS NOT NULL
      AND f.kind IN ('purchase', 'allocation', 'consumption', 'refund')
    GROUP BY f.partner_id
),
days AS (
    SELECT s.*,
           lag(s.day) OVER (PARTITION BY s.perk_id ORDER BY s.day) AS prev_day,
           row_number() OVER (PARTITION BY s.perk_id ORDER BY s.day DESC) AS from_last
    FROM dw.snap_perk_supply_day s
),
perk_claims AS (
    SELECT f.perk_id, count(*) AS claims
    FROM dw.fact_loyalty_transaction f
    WHERE f.type = 'perk_claim' AND f.perk_id IS NOT NULL
    GROUP BY f.perk_id
),
problems AS (
    SELECT m.partner_id || ' ' || m.year_month AS key,
           'snapshot: dw.snap_partner_credits_month closing <> opening + bought - consumed - refunded'
               AS problem
    FROM months m
    WHERE m.closing_balance_credits
          <> m.opening_balance_credits + m.bought_credits - m.consumed_credits - m.refunded_credits
    UNION ALL
    SELECT m.partner_id || ' ' || m.year_month,
           'snapshot: dw.snap_partner_credits_month opening <> closing of the month before'
    FROM months m
    WHERE m.prev_closing IS NOT NULL AND m.opening_balance_credits <> m.prev_closing
    UNION ALL
    SELECT m.partner_id || ' ' || m.year_month,
           'snapshot: dw.snap_partner_credits_month skips a month'
    FROM months m
    WHERE m.prev_month IS NOT NULL AND m.month_start <> (m.prev_month + interval '1 month')::date
    UNION ALL
    SELECT coalesce(m.partner_id, t.partner_id)::text,
           'snapshot: dw.snap_partner_credits_month totals do not tie out to dw.fact_credit_movement'
    FROM (SELECT * FROM months WHERE from_last = 1) m
    FULL JOIN partner_totals t ON t.partner_id = m.partner_id
    WHERE (m.cum_bought_credits, m.cum_allocated_credits, m.cum_consumed_credits,
           m.cum_refunded_credits)
          IS DISTINCT FROM (t.bought, t.allocated, t.consumed, t.refunded)
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
    SELECT c.perk_id::text,
           'snapshot: dw.snap_perk_supply_day claims do not tie out to dw.fact_loyalty_transaction'
    FROM perk_claims c
    LEFT JOIN (SELECT * FROM days WHERE from_last = 1) d ON d.perk_id = c.perk_id
    WHERE d.cum_claims IS DISTINCT FROM c.claims
)
SELECT problem, count(*) AS failing_rows,
       array_to_string((array_agg(key ORDER BY key))[1:5], ', ') AS examples
FROM problems
GROUP BY problem
