-- Generator parameters, read by schemas/demo/NNN_*.sql with current_setting();
-- transaction-local so they vanish with the generating transaction.
SELECT set_config('almanac.demo_scale', $1, true),
       set_config('almanac.demo_seed', $2, true),
       set_config('almanac.demo_as_of', $3, true)
