SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_timezone_names WHERE name = $1)
