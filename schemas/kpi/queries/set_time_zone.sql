-- Local dates, hours and weekdays in the metric files follow the session
-- time zone: this transaction runs in the business time zone. JIT
-- compilation costs more than it saves on these short aggregate queries.
SELECT set_config('TimeZone', $1, true), set_config('jit', 'off', true)
