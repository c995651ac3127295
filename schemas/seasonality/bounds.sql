-- The as-of date ($1, or today in the business time zone when NULL) and the
-- months it implies: the series end with the last complete month before it,
-- and the forecast starts with the month after that. The transaction runs
-- in the business time zone (kpi/queries/set_time_zone.sql), so current_date
-- is the local date.
SELECT a.as_of::text,
       (date_trunc('month', a.as_of) - interval '1 month')::date::text AS last_month,
       date_trunc('month', a.as_of)::date::text AS history_end
FROM (SELECT coalesce($1::date, current_date) AS as_of) a
