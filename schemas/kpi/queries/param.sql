INSERT INTO kpi_params (section, rule, key, value) VALUES ($1, $2, $3, $4::numeric)
