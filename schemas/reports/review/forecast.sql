-- Next-quarter forecasts as stored: the platform's events, generations and
-- revenue, then events by type.
SELECT series, scope, month_start::text, point, lower, upper, method, coverage
FROM kpi.forecast
WHERE (scope = 'platform' AND series IN ('events', 'generations', 'revenue'))
   OR (series = 'events' AND scope LIKE 'event_type:%')
ORDER BY array_position(ARRAY['events', 'generations', 'revenue'], series), scope <> 'platform',
         array_position(ARRAY['wedding', 'corporate', 'holiday', 'other'], split_part(scope, ':', 2)),
         month_start
