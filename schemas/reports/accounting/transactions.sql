-- The month's credit movements [$1, $2), every kind and party, in time
-- order. The first five columns are the seed's Transaction Log export
-- (Date, Actor, Action Type, Amount = credits, Description); times local.
SELECT f.created_at::timestamp::text, f.actor, f.kind, f.credits, f.description,
       f.amount_usd, f.credit_transaction_id, f.partner_id, p.name, f.b2c_user_id, f.event_id,
       f.pack_size, f.promo_code
FROM dw.fact_credit_movement f
LEFT JOIN dw.dim_partner p ON p.partner_id = f.partner_id AND p.is_current
WHERE f.created_at >= $1::date::timestamptz AND f.created_at < $2::date::timestamptz
ORDER BY f.created_at, f.credit_transaction_id
