-- The quarter's most claimed perks across brands (platform ranking).
-- $1 quarter start, $2 how many.
SELECT k.id, pk.name, br.name,
       max(r.value) FILTER (WHERE r.code = 'perk_claims'),
       max(r.value) FILTER (WHERE r.code = 'perk_supply_remaining'),
       max(r.value) FILTER (WHERE r.code = 'perk_rank')
FROM kpi.results r
CROSS JOIN LATERAL (SELECT split_part(r.breakdown, ':', 2)::bigint AS id) k
LEFT JOIN dw.dim_perk pk ON pk.perk_id = k.id
LEFT JOIN dw.dim_brand br ON br.brand_id = pk.brand_id
WHERE r.grain = 'quarter' AND r.period_start = $1::date AND r.scope = 'platform'
  AND r.breakdown LIKE 'perk:%' AND r.code IN ('perk_claims', 'perk_supply_remaining', 'perk_rank')
GROUP BY k.id, pk.name, br.name
HAVING max(r.value) FILTER (WHERE r.code = 'perk_claims') > 0
ORDER BY 6 NULLS LAST, 4 DESC, k.id
LIMIT $2::int
