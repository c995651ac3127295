DELETE FROM kpi.partner_segments WHERE month_start = $1::date
