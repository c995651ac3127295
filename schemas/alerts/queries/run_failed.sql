-- Records a failed alerts run after its transaction was rolled back.
-- $1 window start, $2 window end, $3 business time zone, $4 error.
INSERT INTO kpi.runs (kind, grain, period_start, period_end, time_zone, finished_at, status, error)
VALUES ('alerts', 'window', ($1::timestamptz AT TIME ZONE $3::text)::date,
        ($2::timestamptz AT TIME ZONE $3::text)::date, $3::text, clock_timestamp(), 'failed', $4::text);
