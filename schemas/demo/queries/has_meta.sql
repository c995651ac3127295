-- Whether a completed demo generation is recorded.
SELECT to_regclass('almanac_demo.meta') IS NOT NULL
