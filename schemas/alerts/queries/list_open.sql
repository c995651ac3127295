-- Every open alert, most severe and oldest first (`almanac alerts --all-open`).
SELECT a.alert_id, false AS inserted, a.code, a.severity, a.subject_kind, a.subject, a.dedup_key,
       to_jsonb(a.started_at) #>> '{}', to_jsonb(a.ended_at) #>> '{}', to_jsonb(a.first_fired_at) #>> '{}',
       a.status, a.evidence::text, a.occurrences
FROM kpi.alerts a
WHERE a.status = 'open'
ORDER BY CASE a.severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, a.started_at, a.alert_id;
