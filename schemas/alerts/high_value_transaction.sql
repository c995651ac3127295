-- high_value_transaction (info): a credit purchase (a partner's `purchase`
-- or a B2C user's `b2c_purchase`) of more than $3 USD in the window. One
-- alert per transaction.
--
-- $1 window start, $2 window end, $3 amount_usd.
SELECT 'high_value_transaction' AS code, 'info' AS severity, 'transaction' AS subject_kind,
       c.credit_transaction_id::text AS subject,
       'transaction:' || c.credit_transaction_id AS dedup_key,
       c.created_at AS started_at, c.created_at AS ended_at,
       jsonb_build_object(
           'transaction_id', c.credit_transaction_id,
           'kind', c.kind,
           'partner_id', c.partner_id,
           'partner_name', p.name,
           'b2c_user_id', c.b2c_user_id,
           'amount_usd', c.amount_usd,
           'credits', c.credits,
           'pack_size', c.pack_size,
           'promo_code', c.promo_code,
           'created_at', c.created_at,
           'threshold_usd', $3::numeric) AS evidence
FROM dw.fact_credit_movement c
LEFT JOIN dw.dim_partner p ON p.partner_id = c.partner_id AND p.is_current
WHERE c.created_at >= $1::timestamptz AND c.created_at < $2::timestamptz
  AND c.kind IN ('purchase', 'b2c_purchase')
  AND c.amount_usd > $3::numeric
ORDER BY c.created_at, c.credit_transaction_id;
