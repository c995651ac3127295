-- Perk claims (seed 002: who claimed, when, transaction hash) made in the
-- range. Times are local, to the second.
SELECT t.perk_id AS "Perk ID",
       pk.name AS "Perk",
       b.name AS "Brand",
       t.user_ref AS "User",
       date_trunc('second', t.created_at::timestamp) AS "Claimed At",
       t.tx_hash AS "Transaction Hash"
FROM dw.fact_loyalty_transaction t
JOIN dw.dim_perk pk ON pk.perk_id = t.perk_id
JOIN dw.dim_brand b ON b.brand_id = pk.brand_id
WHERE t.type = 'perk_claim'
  AND t.created_at >= current_setting('almanac.export_from')::timestamptz
  AND t.created_at < current_setting('almanac.export_to')::timestamptz
ORDER BY t.created_at, t.loyalty_transaction_id
