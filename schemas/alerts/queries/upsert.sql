-- Records one finding of a rule in kpi.alerts, deduplicated by (code, dedup_key).
--
-- A finding of an earlier window than the one the row already reflects
-- (a backfill, a re-run of a past day) only marks the alert as seen: it
-- never takes back what a later window found (an outage's end, fresher
-- evidence). For state rules ($11) a condition that had cleared and holds
-- again reopens the row. first_fired_at and first_run_id never change.
--
-- $1 code, $2 severity, $3 subject_kind, $4 subject, $5 dedup_key,
-- $6 started_at, $7 ended_at (NULL: still holds), $8 evidence (JSON),
-- $9 run id, $10 window end, $11 state rule (boolean).
INSERT INTO kpi.alerts AS a (code, severity, subject_kind, subject, dedup_key, started_at, ended_at, evidence,
                             first_fired_at, first_run_id, last_seen_at, last_run_id, evaluated_to, status)
SELECT $1::text, $2::text, $3::text, $4::text, $5::text, $6::timestamptz, $7::timestamptz, $8::jsonb,
       r.started_at, r.run_id, r.started_at, r.run_id, $10::timestamptz,
       CASE WHEN $7::timestamptz IS NULL THEN 'open' ELSE 'resolved' END
FROM kpi.runs r
WHERE r.run_id = $9::bigint
ON CONFLICT (code, dedup_key) DO UPDATE SET
    last_seen_at = excluded.last_seen_at,
    last_run_id  = excluded.last_run_id,
    severity     = CASE WHEN excluded.evaluated_to >= a.evaluated_to THEN excluded.severity ELSE a.severity END,
    subject_kind = CASE WHEN excluded.evaluated_to >= a.evaluated_to THEN excluded.subject_kind ELSE a.subject_kind END,
    subject      = CASE WHEN excluded.evaluated_to >= a.evaluated_to THEN excluded.subject ELSE a.subject END,
    evidence     = CASE WHEN excluded.evaluated_to >= a.evaluated_to THEN excluded.evidence ELSE a.evidence END,
    started_at   = CASE WHEN NOT $11::boolean THEN
                            CASE WHEN excluded.evaluated_to >= a.evaluated_to THEN excluded.started_at ELSE a.started_at END
                        WHEN a.status = 'resolved' AND excluded.evaluated_to > a.evaluated_to THEN excluded.started_at
                        WHEN a.status = 'open' THEN least(a.started_at, excluded.started_at)
                        ELSE a.started_at END,
    ended_at     = CASE WHEN excluded.evaluated_to >= a.evaluated_to THEN excluded.ended_at ELSE a.ended_at END,
    status       = CASE WHEN excluded.evaluated_to >= a.evaluated_to THEN excluded.status ELSE a.status END,
    occurrences  = a.occurrences
                   + CASE WHEN $11::boolean AND a.status = 'resolved' AND excluded.evaluated_to > a.evaluated_to
                          THEN 1 ELSE 0 END,
    evaluated_to = greatest(a.evaluated_to, excluded.evaluated_to)
RETURNING a.alert_id, (a.xmax = 0) AS inserted, a.code, a.severity, a.subject_kind, a.subject, a.dedup_key,
          to_jsonb(a.started_at) #>> '{}', to_jsonb(a.ended_at) #>> '{}', to_jsonb(a.first_fired_at) #>> '{}',
          a.status, a.evidence::text, a.occurrences;
