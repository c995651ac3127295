-- Every perk claim of one brand in the period, in time order ($1 start,
-- $2 end: local dates; $3 brand id). Local time.
SELECT t.created_at::timestamp::text, t.perk_id, k.name, t.user_ref, t.rsnc_amount, k.value_usd, t.tx_hash
FROM dw.fact_loyalty_transaction t
LEFT JOIN dw.dim_perk k ON k.perk_id = t.perk_id
WHERE t.type = 'perk_claim' AND t.brand_id = $3::bigint
  AND t.created_at >= ($1::date)::timestamp::timestamptz AND t.created_at < ($2::date)::timestamp::timestamptz
ORDER BY t.created_at, t.loyalty_transaction_id
