-- Transaction Log (seed 000): every credit movement made in the range.
-- Amount is always in credits (never negative; Action Type gives the
-- direction), so the column has one unit; money is in the accounting
-- workbook. Times are local, to the second.
SELECT date_trunc('second', c.created_at::timestamp) AS "Date",
       c.actor AS "Actor",
       c.kind AS "Action Type",
       c.credits AS "Amount",
       c.description AS "Description"
FROM dw.fact_credit_movement c
WHERE c.created_at >= current_setting('almanac.export_from')::timestamptz
  AND c.created_at < current_setting('almanac.export_to')::timestamptz
ORDER BY c.created_at, c.credit_transaction_id
