-- The brands with a statement for the period: created before its end;
-- $1 end (local date, exclusive), $2 one brand id or NULL for all, $3 the
-- business time zone.
SELECT b.brand_id, b.name
FROM dw.dim_brand b
WHERE b.created_at < ($1::date)::timestamp AT TIME ZONE $3
  AND ($2::bigint IS NULL OR b.brand_id = $2::bigint)
ORDER BY b.brand_id
