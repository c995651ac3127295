-- A report reads in one read-only transaction; this sets its session up.
-- $1: the business time zone. Casting a date to timestamptz then gives
-- local midnight, and a timestamptz cast to timestamp the local time the
-- workbook shows. ISO dates are what the writer parses.
SELECT set_config('TimeZone', $1, true), set_config('DateStyle', 'ISO, YMD', true),
       set_config('IntervalStyle', 'postgres', true), set_config('jit', 'off', true)
