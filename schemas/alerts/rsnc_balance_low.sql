-- rsnc_balance_low (warning): a brand's RSNC balance (bought - distributed -
-- sold back, all time) lasts less than $3 days at the distribution rate of
-- the last $4 days (balance ÷ distribution per day < $3, with some
-- distribution in those days), at the window end. A state: one alert per
-- brand while it holds.
--
-- The warehouse keeps no brand balance snapshot, so the balance sums the
-- brand's loyalty transactions up to the window end (one pass over
-- dw.fact_loyalty_transaction, the only rule that reads a whole fact).
--
-- $1 window start, $2 window end, $3 days, $4 distribution_window_days.
WITH flows AS (
    SELECT t.brand_id,
           sum(CASE t.type WHEN 'purchase' THEN t.rsnc_amount ELSE -t.rsnc_amount END) AS balance,
           coalesce(sum(t.rsnc_amount) FILTER (
               WHERE t.type = 'distribution'
                 AND t.created_at >= $2::timestamptz - make_interval(secs => $4::float8 * 86400)), 0) AS distributed
    FROM dw.fact_loyalty_transaction t
    WHERE t.created_at < $2::timestamptz
      AND t.type IN ('purchase', 'distribution', 'sellback')
      AND $1::timestamptz IS NOT NULL
    GROUP BY t.brand_id
)
SELECT 'rsnc_balance_low' AS code, 'warning' AS severity, 'brand' AS subject_kind,
       f.brand_id::text AS subject, 'brand:' || f.brand_id AS dedup_key,
       $2::timestamptz AS started_at, NULL::timestamptz AS ended_at,
       jsonb_build_object(
           'brand_id', f.brand_id,
           'brand_name', b.name,
           'balance', f.balance,
           'distributed_in_window', f.distributed,
           'distribution_window_days', $4::numeric,
           'distribution_per_day', round(f.distributed / $4::numeric, 2),
           'days_left', round(greatest(f.balance, 0) / (f.distributed / $4::numeric), 1),
           'threshold_days', $3::numeric) AS evidence
FROM flows f
LEFT JOIN dw.dim_brand b ON b.brand_id = f.brand_id
WHERE f.distributed > 0
  AND greatest(f.balance, 0) < $3::numeric * (f.distributed / $4::numeric)
ORDER BY f.brand_id;
