-- Credits roll-forward per partner for the month [$1, $2) in the session's
-- (business) time zone: opening + bought - consumed - refunded = closing,
-- the credits partners hold (a liability), with the month's allocations
-- and the unallocated credits at the end (credits_in_channels).
--
-- Read from dw.snap_partner_credits_month when the snapshot was built in
-- this time zone and holds the month; otherwise computed from
-- dw.fact_credit_movement with the snapshot's definitions
-- (docs/warehouse.md), so a report in another time zone is still right.
-- Partners: those with a credit movement before the month's end.
WITH b AS (
    SELECT $1::date AS m, $1::date::timestamptz AS start_ts, $2::date::timestamptz AS end_ts,
           current_setting('TimeZone') AS tz
),
snap_ok AS (
    SELECT EXISTS (SELECT 1 FROM dw.snap_partner_credits_month s WHERE s.month_start = b.m)
       AND NOT EXISTS (SELECT 1 FROM dw.snap_partner_credits_month s
                       WHERE s.month_start = b.m AND s.time_zone <> b.tz) AS ok
    FROM b
),
snap AS (
    SELECT s.partner_id, s.opening_balance_credits AS opening, s.bought_credits AS bought,
           s.consumed_credits AS consumed, s.refunded_credits AS refunded,
           s.closing_balance_credits AS closing, s.allocated_credits AS allocated,
           s.unallocated_credits AS unallocated
    FROM dw.snap_partner_credits_month s, b, snap_ok
    WHERE snap_ok.ok AND s.month_start = b.m
),
facts AS (
    SELECT f.partner_id,
           coalesce(sum(CASE f.kind WHEN 'purchase' THEN f.credits ELSE -f.credits END)
                    FILTER (WHERE f.created_at < b.start_ts AND f.kind <> 'allocation'), 0) AS opening,
           coalesce(sum(f.credits) FILTER (WHERE f.created_at >= b.start_ts AND f.kind = 'purchase'), 0) AS bought,
           coalesce(sum(f.credits) FILTER (WHERE f.created_at >= b.start_ts AND f.kind = 'consumption'), 0) AS consumed,
           coalesce(sum(f.credits) FILTER (WHERE f.created_at >= b.start_ts AND f.kind = 'refund'), 0) AS refunded,
           coalesce(sum(CASE f.kind WHEN 'purchase' THEN f.credits ELSE -f.credits END)
                    FILTER (WHERE f.kind <> 'allocation'), 0) AS closing,
           coalesce(sum(f.credits) FILTER (WHERE f.created_at >= b.start_ts AND f.kind = 'allocation'), 0) AS allocated,
           coalesce(sum(f.credits) FILTER (WHERE f.kind = 'purchase'), 0)
             - coalesce(sum(f.credits) FILTER (WHERE f.kind = 'allocation'), 0) AS unallocated
    FROM dw.fact_credit_movement f, b, snap_ok
    WHERE NOT snap_ok.ok AND f.partner_id IS NOT NULL AND f.created_at < b.end_ts
      AND f.kind IN ('purchase', 'allocation', 'consumption', 'refund')
    GROUP BY f.partner_id
)
SELECT r.partner_id, p.name, r.opening, r.bought, r.consumed, r.refunded, r.closing,
       r.allocated, r.unallocated,
       CASE WHEN (SELECT ok FROM snap_ok) THEN 'snapshot' ELSE 'facts' END AS source
FROM (SELECT * FROM snap UNION ALL SELECT * FROM facts) r
LEFT JOIN dw.dim_partner p ON p.partner_id = r.partner_id AND p.is_current
ORDER BY r.partner_id
