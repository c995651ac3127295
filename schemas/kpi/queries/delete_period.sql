DELETE FROM kpi.results WHERE grain = $1 AND period_start = $2::date
