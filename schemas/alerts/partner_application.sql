-- partner_application (info): an application to become a partner still
-- pending at the window end, with its age; `overdue` when it is older than
-- $3 minutes (the seed asks for an answer within an hour). A state: the run
-- that finds it decided resolves it. One alert per application.
--
-- $1 window start, $2 window end, $3 max_age_minutes.
SELECT 'partner_application' AS code, 'info' AS severity, 'application' AS subject_kind,
       a.application_id::text AS subject,
       'application:' || a.application_id AS dedup_key,
       a.submitted_at AS started_at, NULL::timestamptz AS ended_at,
       jsonb_build_object(
           'application_id', a.application_id,
           'company_name', a.company_name,
           'submitted_at', a.submitted_at,
           'age_minutes', floor(extract(epoch FROM $2::timestamptz - a.submitted_at) / 60),
           'max_age_minutes', $3::numeric,
           'overdue', extract(epoch FROM $2::timestamptz - a.submitted_at) > $3::numeric * 60) AS evidence
FROM dw.fact_partner_application a
WHERE a.submitted_at < $2::timestamptz
  AND (a.decided_at IS NULL OR a.decided_at >= $2::timestamptz)
  AND (a.status = 'pending' OR a.decided_at IS NOT NULL)
  AND $1::timestamptz IS NOT NULL
ORDER BY a.submitted_at, a.application_id;
