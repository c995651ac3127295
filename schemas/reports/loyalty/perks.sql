-- Perk lifecycle of one brand in the period, from kpi.results ($1 grain,
-- $2 period start, $3 scope 'brand:<id>'), one row per perk.
SELECT k.perk_id, k.name, k.price_rsnc, k.value_usd, k.total_supply,
       max(r.value) FILTER (WHERE r.code = 'perk_claims') AS claims,
       max(r.value) FILTER (WHERE r.code = 'perk_claims_per_day') AS per_day,
       max(r.value) FILTER (WHERE r.code = 'perk_supply_remaining') AS remaining,
       max(r.value) FILTER (WHERE r.code = 'perk_rank') AS rank,
       max(r.value) FILTER (WHERE r.code = 'perk_peak_hour') AS peak_hour,
       to_char(to_date(max(r.value) FILTER (WHERE r.code = 'perk_peak_week')::text, 'YYYYMMDD'), 'YYYY-MM-DD') AS peak_week
FROM kpi.results r
JOIN dw.dim_perk k ON r.breakdown = 'perk:' || k.perk_id
WHERE r.grain = $1 AND r.period_start = $2::date AND r.scope = $3 AND r.code LIKE 'perk\_%'
GROUP BY k.perk_id, k.name, k.price_rsnc, k.value_usd, k.total_supply
ORDER BY rank, k.perk_id
