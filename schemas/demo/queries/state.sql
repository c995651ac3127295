-- The parameters of the completed demo generation (one row).
SELECT scale::text, seed, as_of::text
FROM almanac_demo.meta
