-- error_rate_spike (critical): more than $3 % of the API requests of one
-- fixed bucket of $5 minutes failed (status >= 500), in a bucket of at
-- least $4 requests. Buckets are aligned to the Unix epoch (every 5
-- minutes: :00, :05 ...); a bucket belongs to the window in which it ends,
-- so only complete buckets are judged and each is judged by one window.
-- One alert per bucket, keyed by its start.
--
-- $1 window start, $2 window end, $3 rate_pct, $4 min_requests,
-- $5 bucket_minutes.
WITH b AS (
    SELECT to_timestamp(floor(extract(epoch FROM r.requested_at) / ($5::numeric * 60)) * ($5::numeric * 60)) AS bucket_start,
           count(*) AS requests,
           count(*) FILTER (WHERE r.status_code >= 500) AS errors
    FROM dw.fact_api_request r
    WHERE r.requested_at >= $1::timestamptz - make_interval(secs => $5::float8 * 60)
      AND r.requested_at < $2::timestamptz
    GROUP BY 1
)
SELECT 'error_rate_spike' AS code, 'critical' AS severity, 'component' AS subject_kind, 'api' AS subject,
       'api@' || to_char(b.bucket_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS dedup_key,
       b.bucket_start AS started_at,
       b.bucket_start + make_interval(secs => $5::float8 * 60) AS ended_at,
       jsonb_build_object(
           'bucket_start', b.bucket_start,
           'bucket_minutes', $5::numeric,
           'requests', b.requests,
           'errors', b.errors,
           'error_rate_pct', round(100.0 * b.errors / b.requests, 2),
           'threshold_pct', $3::numeric,
           'min_requests', $4::numeric) AS evidence
FROM b
WHERE b.bucket_start + make_interval(secs => $5::float8 * 60) > $1::timestamptz
  AND b.bucket_start + make_interval(secs => $5::float8 * 60) <= $2::timestamptz
  AND b.requests >= $4::numeric
  AND 100.0 * b.errors > $3::numeric * b.requests
ORDER BY b.bucket_start;
