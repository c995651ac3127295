-- A partner's segment at the month's end (kpi.partner_segments).
-- $1 month start, $2 partner id.
SELECT segment, action, events_90d, events_per_month, credits_bought, credits_used, usage_pct, prev_segment
FROM kpi.partner_segments
WHERE month_start = $1::date AND partner_id = $2::bigint
