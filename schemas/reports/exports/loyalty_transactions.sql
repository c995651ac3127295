-- Loyalty transaction events (seed 002) made in the range: purchase (brand
-- deposits USD for RSNC), distribution (RSNC awarded to a user),
-- perk_claim, sellback. USD Amount in dollars, RSNC Amount in points (never
-- negative; Type gives the direction). Times are local, to the second.
SELECT t.loyalty_transaction_id AS "Transaction ID",
       date_trunc('second', t.created_at::timestamp) AS "Date",
       t.type AS "Type",
       b.name AS "Brand",
       t.user_ref AS "User",
       pk.name AS "Perk",
       t.usd_amount AS "USD Amount",
       t.rsnc_amount AS "RSNC Amount",
       t.tx_hash AS "Transaction Hash"
FROM dw.fact_loyalty_transaction t
JOIN dw.dim_brand b ON b.brand_id = t.brand_id
LEFT JOIN dw.dim_perk pk ON pk.perk_id = t.perk_id
WHERE t.created_at >= current_setting('almanac.export_from')::timestamptz
  AND t.created_at < current_setting('almanac.export_to')::timestamptz
ORDER BY t.created_at, t.loyalty_transaction_id
