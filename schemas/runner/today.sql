-- Today's date in the business time zone: the last complete period ends
-- before it.
SELECT (now() AT TIME ZONE $1)::date::text
