-- The last complete local day: the default as-of date of a window.
SELECT ((now() AT TIME ZONE $1)::date - 1)::text
