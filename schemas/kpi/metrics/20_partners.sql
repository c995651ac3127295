-- Partners, from the SCD2 dimension: partners_total, partners_active,
-- partners_inactive, partners_approved, partners_deactivated,
-- partner_growth_mom_pct, partner_churn_mom_pct, active_partner_ratio_pct.
WITH at_end AS (
    SELECT count(*) FILTER (WHERE status IN ('approved', 'deactivated')) AS total,
           count(*) FILTER (WHERE status = 'approved') AS active,
           count(*) FILTER (WHERE status = 'deactivated') AS inactive
    FROM kpi_at_end
), active_start AS (
    SELECT count(*) AS n FROM kpi_at_start WHERE status = 'approved'
), approved AS (
    -- approved_at is the first approval: a reactivation is not growth.
    SELECT count(*) AS n
    FROM dw.dim_partner d, kpi_p p
    WHERE d.is_current AND d.approved_at >= p.start_ts AND d.approved_at < p.end_ts
), deactivated AS (
    -- A version that starts a deactivation; a partner deactivated and
    -- reactivated within the period counts once.
    SELECT count(DISTINCT v.partner_id) AS n
    FROM (SELECT d.partner_id, d.status, d.valid_from,
                 lag(d.status) OVER (PARTITION BY d.partner_id ORDER BY d.valid_from) AS before
          FROM dw.dim_partner d) v, kpi_p p
    WHERE v.status = 'deactivated' AND v.before IS DISTINCT FROM 'deactivated'
      AND v.valid_from >= p.start_ts AND v.valid_from < p.end_ts
), with_event AS (
    SELECT count(*) AS n
    FROM kpi_at_end a
    WHERE a.status = 'approved'
      AND EXISTS (SELECT 1 FROM dw.dim_event e, kpi_p p
                  WHERE e.partner_id = a.partner_id
                    AND e.event_date >= p.start_date AND e.event_date < p.end_date)
)
INSERT INTO kpi_raw (which, code, scope, breakdown, value, unit)
SELECT p.which, x.code, 'platform', '', x.value, x.unit
FROM kpi_p p, at_end, active_start, approved, deactivated, with_event
CROSS JOIN LATERAL (VALUES
    ('partners_total', at_end.total::numeric, 'count'),
    ('partners_active', at_end.active::numeric, 'count'),
    ('partners_inactive', at_end.inactive::numeric, 'count'),
    ('partners_approved', approved.n::numeric, 'count'),
    ('partners_deactivated', deactivated.n::numeric, 'count'),
    ('partner_growth_mom_pct', 100.0 * approved.n / nullif(active_start.n, 0), 'pct'),
    ('partner_churn_mom_pct', 100.0 * deactivated.n / nullif(active_start.n, 0), 'pct'),
    ('active_partner_ratio_pct', 100.0 * with_event.n / nullif(at_end.active, 0), 'pct')
) AS x(code, value, unit);
