INSERT INTO kpi_tiers (lo, hi, label) VALUES ($1::bigint, $2::bigint, $3)
