-- The previous month's partner segments, copied like its metrics.
COPY (SELECT which, partner_id, segment, events_90d, events_per_month, credits_bought, credits_used,
             usage_pct
      FROM kpi_seg WHERE which = 'prev') TO STDOUT
