-- Resolves the open alerts of state rules that this run did not find any
-- more: the condition no longer holds at the window end. Only rows whose
-- view is not newer than this window are touched (re-running a past day
-- must not close what a later day found open). ended_at is the window end:
-- the first evaluation that saw the condition cleared.
--
-- $1 run id, $2 window end, $3 the state rules' codes (text[]).
UPDATE kpi.alerts a
SET status = 'resolved', ended_at = greatest($2::timestamptz, a.started_at),
    evaluated_to = $2::timestamptz, last_run_id = $1::bigint
WHERE a.status = 'open'
  AND a.code = ANY ($3::text[])
  AND a.last_run_id <> $1::bigint
  AND a.evaluated_to <= $2::timestamptz
  AND a.started_at < $2::timestamptz
RETURNING a.alert_id, false AS inserted, a.code, a.severity, a.subject_kind, a.subject, a.dedup_key,
          to_jsonb(a.started_at) #>> '{}', to_jsonb(a.ended_at) #>> '{}', to_jsonb(a.first_fired_at) #>> '{}',
          a.status, a.evidence::text, a.occurrences;
