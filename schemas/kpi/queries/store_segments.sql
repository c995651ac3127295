-- Replaces the month's segments. prev_segment is last month's, as computed
-- in this same run (the same rule on the same warehouse state).
INSERT INTO kpi.partner_segments (month_start, partner_id, segment, action, events_90d, events_per_month,
                                  credits_bought, credits_used, usage_pct, prev_segment, time_zone, run_id)
SELECT p.start_date, s.partner_id, s.segment,
       CASE s.segment WHEN 'power' THEN 'VIP support'
                      WHEN 'active' THEN 'upsell'
                      WHEN 'occasional' THEN 're-engagement'
                      ELSE 'win-back' END,
       s.events_90d, s.events_per_month, s.credits_bought, s.credits_used, s.usage_pct,
       v.segment, current_setting('TimeZone'), $1::bigint
FROM kpi_seg s
CROSS JOIN kpi_p p
LEFT JOIN kpi_seg v ON v.which = 'prev' AND v.partner_id = s.partner_id
WHERE s.which = 'cur' AND p.grain = 'month'
