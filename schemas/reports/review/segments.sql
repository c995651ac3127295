-- Segment counts, shares and movements of one month (month grain).
-- $1 month start.
SELECT code, breakdown, value
FROM kpi.results
WHERE grain = 'month' AND period_start = $1::date AND scope = 'platform'
  AND code IN ('partners_in_segment', 'segment_share_pct', 'segment_movement')
ORDER BY code, breakdown
