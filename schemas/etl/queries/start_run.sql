-- Opens the run log entry ($1: source description without password).
INSERT INTO etl.runs (status, source_desc, watermark_before)
VALUES ('running', $1, (SELECT value FROM etl.watermarks WHERE name = 'source'))
RETURNING run_id, coalesce(watermark_before::text, '-infinity')
