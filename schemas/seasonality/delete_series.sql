-- A computation replaces every scope of the series it computes: a scope
-- that no longer has data must not keep last run's rows.
WITH f AS (DELETE FROM kpi.forecast WHERE series = $1),
     i AS (DELETE FROM kpi.seasonal_index WHERE series = $1)
DELETE FROM kpi.seasonal_series WHERE series = $1
