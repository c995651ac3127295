-- Records one applied migration ($1 file name, $2 md5 of its text).
INSERT INTO etl.schema_migrations (version, checksum) VALUES ($1, md5($2))
