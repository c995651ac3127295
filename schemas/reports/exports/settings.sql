-- The settings every export query reads, for the rest of the export
-- transaction (is_local = true). COPY takes no bind parameters, so the
-- range travels as custom settings set here through parameters, never as
-- text pasted into the COPY statement.
--   $1 business time zone: local times, local dates, local midnight bounds
--   $2 first local day of the range (YYYY-MM-DD)
--   $3 local day after the range (YYYY-MM-DD)
SELECT set_config('TimeZone', $1, true),
       set_config('almanac.export_from', $2, true),
       set_config('almanac.export_to', $3, true),
       -- ISO output whatever the server's default: the files depend on it.
       set_config('DateStyle', 'ISO, YMD', true),
       set_config('IntervalStyle', 'postgres', true),
       set_config('extra_float_digits', '1', true);
