-- The twelve indices of one series and scope; $3..$5 are arrays by
-- calendar month (January first).
INSERT INTO kpi.seasonal_index (series, scope, month, index, estimated, class, quality, method,
                                months_used, history_start, history_end, has_zeros,
                                peak_index, low_index, note, run_id)
SELECT $1, $2, m.month, m.index, m.estimated, m.class, $6, $7, $8::integer, $9::date, $10::date,
       $11::boolean, $12::float8, $13::float8, $14, $15::bigint
FROM unnest($3::float8[], $4::boolean[], $5::text[]) WITH ORDINALITY
     AS m(index, estimated, class, month)
