-- Settings the SQL steps of a run read: the run being loaded ($1) and the
-- business time zone that cuts snapshot months and days ($2, IANA name).
SELECT set_config('almanac.run_id', $1, true),
       set_config('almanac.timezone', $2, true)
