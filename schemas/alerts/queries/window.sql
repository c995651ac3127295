-- The evaluation window [start, end) in the business time zone $1, which
-- the caller has made the session's TimeZone (so that a time given
-- without an offset is read as local time):
--   $2 a day (YYYY-MM-DD): that local day, midnight to midnight;
--   $3, $4 two timestamps;
--   neither: the last complete local day before now.
-- Returns the start and end as ISO 8601 UTC text, and the local day (NULL
-- for a window given by timestamps).
WITH w AS (
    SELECT CASE WHEN $2::date IS NOT NULL THEN $2::date::timestamp AT TIME ZONE $1::text
                WHEN $3::text IS NOT NULL THEN $3::text::timestamptz
                ELSE (date_trunc('day', now() AT TIME ZONE $1::text) - interval '1 day') AT TIME ZONE $1::text
           END AS w0,
           CASE WHEN $2::date IS NOT NULL THEN ($2::date + 1)::timestamp AT TIME ZONE $1::text
                WHEN $4::text IS NOT NULL THEN $4::text::timestamptz
                ELSE date_trunc('day', now() AT TIME ZONE $1::text) AT TIME ZONE $1::text
           END AS w1
)
SELECT (to_jsonb(w.w0 AT TIME ZONE 'UTC') #>> '{}') || 'Z',
       (to_jsonb(w.w1 AT TIME ZONE 'UTC') #>> '{}') || 'Z',
       CASE WHEN $3::text IS NULL THEN (w.w0 AT TIME ZONE $1::text)::date::text END
FROM w;
