-- The period the metric files compute next. Dates are local calendar days;
-- the instants are their midnights in the session's time zone, which the
-- engine set to the business time zone.
INSERT INTO kpi_p (which, grain, start_date, end_date, prev_start_date, prev_end_date,
                   start_ts, end_ts, prev_start_ts, prev_end_ts, last_month_ts, days,
                   cut_ts, final_end_ts)
SELECT $1, $2, s, e, ps, pe,
       s::timestamp::timestamptz, e::timestamp::timestamptz,
       ps::timestamp::timestamptz, pe::timestamp::timestamptz,
       date_trunc('month', (e - 1)::timestamp)::timestamptz,
       e - s,
       $7::date::timestamp::timestamptz, $8::date::timestamp::timestamptz
FROM (SELECT $3::date AS s, $4::date AS e, $5::date AS ps, $6::date AS pe) d
