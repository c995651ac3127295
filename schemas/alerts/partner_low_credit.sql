-- partner_low_credit (warning): a partner's remaining credits (bought -
-- consumed - refunded, all time) are below $3 % of the credits it bought,
-- at the window end. Only partners active then (approved, as was at that
-- instant) are judged. A state: one alert per partner while it holds; the
-- run that finds it no longer holding (a new purchase) resolves it.
--
-- The balance at the window end = the latest complete month of
-- dw.snap_partner_credits_month before it + the movements since that month
-- ended (at most about a month of dw.fact_credit_movement).
--
-- $1 window start, $2 window end, $3 remaining_pct.
WITH tz AS (
    SELECT coalesce((SELECT s.time_zone FROM dw.snap_partner_credits_month s LIMIT 1), 'UTC') AS name
),
active AS (
    SELECT p.partner_id, p.name
    FROM dw.dim_partner p
    WHERE p.valid_from <= $2::timestamptz - interval '1 microsecond'
      AND $2::timestamptz - interval '1 microsecond' < p.valid_to
      AND p.status = 'approved'
      AND $1::timestamptz IS NOT NULL
),
snap AS (
    SELECT a.partner_id, a.name, s.cum_bought_credits, s.cum_consumed_credits, s.cum_refunded_credits,
           coalesce((s.month_start + interval '1 month')::timestamp AT TIME ZONE s.time_zone, '-infinity') AS since
    FROM active a
    CROSS JOIN tz
    LEFT JOIN LATERAL (
        SELECT s.*
        FROM dw.snap_partner_credits_month s
        WHERE s.partner_id = a.partner_id
          AND s.month_start < date_trunc('month', $2::timestamptz AT TIME ZONE tz.name)::date
        ORDER BY s.month_start DESC
        LIMIT 1
    ) s ON true
),
recent AS (
    SELECT c.partner_id,
           coalesce(sum(c.credits) FILTER (WHERE c.kind = 'purchase'), 0) AS bought,
           coalesce(sum(c.credits) FILTER (WHERE c.kind = 'consumption'), 0) AS consumed,
           coalesce(sum(c.credits) FILTER (WHERE c.kind = 'refund'), 0) AS refunded
    FROM dw.fact_credit_movement c
    JOIN snap s ON s.partner_id = c.partner_id AND c.created_at >= s.since
    WHERE c.created_at >= (SELECT min(since) FROM snap) AND c.created_at < $2::timestamptz
      AND c.partner_id IS NOT NULL
      AND c.kind IN ('purchase', 'consumption', 'refund')
    GROUP BY c.partner_id
),
bal AS (
    SELECT s.partner_id, s.name,
           coalesce(s.cum_bought_credits, 0) + coalesce(r.bought, 0) AS bought,
           coalesce(s.cum_consumed_credits, 0) + coalesce(r.consumed, 0) AS consumed,
           coalesce(s.cum_refunded_credits, 0) + coalesce(r.refunded, 0) AS refunded
    FROM snap s
    LEFT JOIN recent r ON r.partner_id = s.partner_id
)
SELECT 'partner_low_credit' AS code, 'warning' AS severity, 'partner' AS subject_kind,
       b.partner_id::text AS subject, 'partner:' || b.partner_id AS dedup_key,
       $2::timestamptz AS started_at, NULL::timestamptz AS ended_at,
       jsonb_build_object(
           'partner_id', b.partner_id,
           'partner_name', b.name,
           'credits_bought', b.bought,
           'credits_used', b.consumed,
           'credits_refunded', b.refunded,
           'remaining', b.bought - b.consumed - b.refunded,
           'remaining_pct', round(100.0 * (b.bought - b.consumed - b.refunded) / b.bought, 2),
           'threshold_pct', $3::numeric) AS evidence
FROM bal b
WHERE b.bought > 0
  AND 100.0 * (b.bought - b.consumed - b.refunded) < $3::numeric * b.bought
ORDER BY b.partner_id;
