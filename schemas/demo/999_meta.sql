-- Recorded last, in the generating transaction: its presence means the
-- generation completed, and with which parameters.
CREATE TABLE almanac_demo.meta AS
SELECT current_setting('almanac.demo_scale')::numeric AS scale,
       current_setting('almanac.demo_seed')::bigint   AS seed,
       current_setting('almanac.demo_as_of')::date    AS as_of,
       now()                                          AS generated_at;
