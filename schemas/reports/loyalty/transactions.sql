-- Every loyalty transaction of one brand in the period ($1 start, $2 end:
-- local dates; $3 brand id), in time order. Local time.
SELECT t.created_at::timestamp::text, t.loyalty_transaction_id, t.type, t.user_ref, t.perk_id, t.reward_id,
       t.usd_amount, t.rsnc_amount, t.tx_hash
FROM dw.fact_loyalty_transaction t
WHERE t.brand_id = $3::bigint
  AND t.created_at >= ($1::date)::timestamp::timestamptz AND t.created_at < ($2::date)::timestamp::timestamptz
ORDER BY t.created_at, t.loyalty_transaction_id
