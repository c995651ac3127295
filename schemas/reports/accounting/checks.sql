-- The other side of the roll-forward's checks, for the month [$1, $2):
-- the partners' closing balance at the end of the month before, from the
-- facts (not the snapshot the roll-forward may read), and the stored KPI
-- credits_in_channels of the month (NULL when not stored).
SELECT (SELECT coalesce(sum(CASE f.kind WHEN 'purchase' THEN f.credits ELSE -f.credits END), 0)
        FROM dw.fact_credit_movement f
        WHERE f.partner_id IS NOT NULL AND f.kind IN ('purchase', 'consumption', 'refund')
          AND f.created_at < $1::date::timestamptz) AS prev_closing,
       (SELECT r.value FROM kpi.results r
        WHERE r.code = 'credits_in_channels' AND r.grain = 'month' AND r.period_start = $1::date
          AND r.scope = 'platform' AND r.breakdown = '') AS credits_in_channels
