-- The busiest weekday x hour cells of the latest month whose peak usage
-- heat map `almanac kpi` stored (kpi.results, code generations_by_hour;
-- docs/kpis.md), the top $1 per channel. Empty cells are never peaks.
WITH latest AS (
    SELECT max(period_start) AS period_start
    FROM kpi.results
    WHERE code = 'generations_by_hour' AND grain = 'month'
), cells AS (
    SELECT split_part(split_part(r.breakdown, '/', 1), ':', 2) AS channel,
           split_part(split_part(r.breakdown, '/', 2), ':', 2)::int AS weekday,
           split_part(split_part(r.breakdown, '/', 3), ':', 2)::int AS hour,
           r.value, r.period_start, r.time_zone
    FROM kpi.results r
    JOIN latest l ON l.period_start = r.period_start
    WHERE r.code = 'generations_by_hour' AND r.grain = 'month' AND r.value > 0
), ranked AS (
    SELECT c.*, row_number() OVER (PARTITION BY c.channel ORDER BY c.value DESC, c.weekday, c.hour) AS rank,
           sum(c.value) OVER (PARTITION BY c.channel) AS channel_total
    FROM cells c
)
SELECT channel, rank, weekday, hour, value::text, to_char(period_start, 'YYYY-MM'), time_zone,
       channel_total::text
FROM ranked
WHERE rank <= $1::int
ORDER BY channel = 'b2c', channel, rank
