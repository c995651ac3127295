-- Stored indices for display, twelve rows per series and scope (January
-- first). $1: a series or 'all'; $2: a scope kind (platform, event_type,
-- brand) or 'all'. Series in the order of docs/seasonality.md, platform
-- first, event types in the catalogue's order, brands by id.
SELECT i.series, i.scope, i.month, i.index, i.estimated, i.class, i.quality, i.method,
       i.months_used, to_char(i.history_start, 'YYYY-MM'), to_char(i.history_end, 'YYYY-MM'),
       i.has_zeros, i.peak_index, i.low_index, i.note, i.run_id, r.time_zone
FROM kpi.seasonal_index i
JOIN kpi.runs r ON r.run_id = i.run_id
WHERE ($1 = 'all' OR i.series = $1)
  AND ($2 = 'all' OR split_part(i.scope, ':', 1) = $2)
ORDER BY array_position(ARRAY['events', 'generations', 'revenue', 'claims'], i.series),
         i.scope <> 'platform',
         array_position(ARRAY['event_type:wedding', 'event_type:corporate', 'event_type:holiday',
                              'event_type:other'], i.scope),
         CASE WHEN split_part(i.scope, ':', 2) ~ '^[0-9]+$' THEN split_part(i.scope, ':', 2)::bigint END,
         i.scope, i.month
