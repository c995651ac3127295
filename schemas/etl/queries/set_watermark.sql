-- First statement of the extraction transaction (so it takes the snapshot):
-- the lower bound read by schemas/etl/extract/*.sql.
SELECT set_config('almanac.watermark', $1, false)
