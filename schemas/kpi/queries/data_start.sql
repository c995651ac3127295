-- When the platform's data begins: a period that ends before it has no
-- "previous" to compare with (its values would be zeros that never were).
-- Whether any partner, user, event or brand is older than the date: each
-- EXISTS stops at its first such row, where min() over the dimensions read
-- all of them (0.3 s at scale 10).
SELECT EXISTS (SELECT 1 FROM dw.dim_partner WHERE created_at < ($1::date)::timestamp::timestamptz)
    OR EXISTS (SELECT 1 FROM dw.dim_b2c_user WHERE signed_up_at < ($1::date)::timestamp::timestamptz)
    OR EXISTS (SELECT 1 FROM dw.dim_event WHERE created_at < ($1::date)::timestamp::timestamptz)
    OR EXISTS (SELECT 1 FROM dw.dim_brand WHERE created_at < ($1::date)::timestamp::timestamptz)
