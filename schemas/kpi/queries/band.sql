INSERT INTO kpi_bands (code, good_min, good_max, good_below, bad_below, bad_above)
VALUES ($1, $2::numeric, $3::numeric, $4::numeric, $5::numeric, $6::numeric)
