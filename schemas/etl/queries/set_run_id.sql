-- The run being loaded, for the SQL steps that record it.
SELECT set_config('almanac.run_id', $1, true)
