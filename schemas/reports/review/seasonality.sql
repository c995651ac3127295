-- Seasonal indices of the monthly events of each event type, as stored by
-- `almanac seasonality` (docs/seasonality.md).
SELECT split_part(scope, ':', 2), month, index, estimated, class, quality, months_used,
       history_start::text, history_end::text, peak_index, low_index
FROM kpi.seasonal_index
WHERE series = 'events' AND scope LIKE 'event_type:%'
ORDER BY array_position(ARRAY['wedding', 'corporate', 'holiday', 'other'], split_part(scope, ':', 2)),
         scope, month
