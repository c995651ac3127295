-- Perks near sell-out and brands low on RSNC: the alerts of those rules
-- that held at some time in the quarter (docs/alerts.md), latest evidence.
-- $1 start, $2 end (local dates), $3 tz.
SELECT code, coalesce(evidence ->> 'perk_name', evidence ->> 'brand_name', subject),
       evidence ->> 'brand_name', (evidence ->> 'remaining')::numeric,
       (evidence ->> 'balance')::numeric, (evidence ->> 'days_left')::numeric
FROM kpi.alerts
WHERE code IN ('perk_selling_out', 'perk_low_supply', 'rsnc_balance_low')
  AND started_at < $2::date::timestamp AT TIME ZONE $3
  AND (ended_at IS NULL OR ended_at >= $1::date::timestamp AT TIME ZONE $3)
ORDER BY code, (evidence ->> 'days_left')::numeric NULLS LAST, subject
