-- Whether `almanac kpi` stored a period: any row of that grain and start.
-- $1 grain, $2 period start.
SELECT EXISTS (SELECT 1 FROM kpi.results WHERE grain = $1 AND period_start = $2::date)
