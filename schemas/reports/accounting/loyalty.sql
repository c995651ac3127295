-- Loyalty ledger per brand for the month [$1, $2): the stored KPIs
-- (capital_invested_usd, points_distributed, points_redeemed,
-- customers_reached, revenue_generated_usd, rsnc_balance and its previous
-- value) and, from the facts, the RSNC bought and sold back in the month,
-- which no KPI holds. Opening + bought - distributed - sold back = balance.
WITH b AS (SELECT $1::date::timestamptz AS start_ts, $2::date::timestamptz AS end_ts),
k AS (
    SELECT r.scope, r.code, r.value, r.prev_value FROM kpi.results r
    WHERE r.grain = 'month' AND r.period_start = $1::date AND r.scope LIKE 'brand:%'
      AND r.breakdown = ''
),
f AS (
    SELECT t.brand_id,
           coalesce(sum(t.rsnc_amount) FILTER (WHERE t.type = 'purchase'), 0) AS rsnc_bought,
           coalesce(sum(t.rsnc_amount) FILTER (WHERE t.type = 'sellback'), 0) AS rsnc_sold_back,
           coalesce(sum(t.usd_amount) FILTER (WHERE t.type = 'sellback'), 0) AS usd_sold_back
    FROM dw.fact_loyalty_transaction t, b
    WHERE t.created_at >= b.start_ts AND t.created_at < b.end_ts
    GROUP BY t.brand_id
)
SELECT br.brand_id, br.name,
       coalesce(bal.prev_value, CASE WHEN bal.scope IS NOT NULL THEN 0 END),
       (SELECT value FROM k WHERE k.scope = 'brand:' || br.brand_id AND k.code = 'capital_invested_usd'),
       coalesce(f.rsnc_bought, 0),
       (SELECT value FROM k WHERE k.scope = 'brand:' || br.brand_id AND k.code = 'points_distributed'),
       coalesce(f.rsnc_sold_back, 0), coalesce(f.usd_sold_back, 0),
       bal.value,
       (SELECT value FROM k WHERE k.scope = 'brand:' || br.brand_id AND k.code = 'points_redeemed'),
       (SELECT value FROM k WHERE k.scope = 'brand:' || br.brand_id AND k.code = 'customers_reached'),
       (SELECT value FROM k WHERE k.scope = 'brand:' || br.brand_id AND k.code = 'revenue_generated_usd')
FROM dw.dim_brand br
CROSS JOIN b
LEFT JOIN f ON f.brand_id = br.brand_id
LEFT JOIN k bal ON bal.scope = 'brand:' || br.brand_id AND bal.code = 'rsnc_balance'
WHERE br.created_at < b.end_ts
ORDER BY br.brand_id
