COPY kpi_seg (which, partner_id, segment, events_90d, events_per_month, credits_bought, credits_used,
              usage_pct) FROM STDIN
