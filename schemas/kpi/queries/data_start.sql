-- When the platform's data begins: a period that ends before it has no
-- "previous" to compare with (its values would be zeros that never were).
SELECT least((SELECT min(created_at) FROM dw.dim_partner),
             (SELECT min(signed_up_at) FROM dw.dim_b2c_user),
             (SELECT min(created_at) FROM dw.dim_event),
             (SELECT min(created_at) FROM dw.dim_brand)) < ($1::date)::timestamp::timestamptz
