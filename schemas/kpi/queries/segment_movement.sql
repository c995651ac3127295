-- Partner segment movement of the requested month (metric
-- segment_movement), once both passes are in kpi_seg: every partner
-- segmented this month, by last month's segment ('new' when it had none:
-- approved or reactivated since, or no month before).
INSERT INTO kpi_raw (which, code, scope, breakdown, value, unit)
SELECT p.which, 'segment_movement', 'platform',
       'from:' || coalesce(v.segment, 'new') || '/to:' || k.segment, count(*), 'count'
FROM kpi_p p
JOIN kpi_seg k ON k.which = p.which
LEFT JOIN kpi_seg v ON v.which = 'prev' AND v.partner_id = k.partner_id
WHERE p.which = 'cur' AND p.grain = 'month'
GROUP BY p.which, 2, 4;
