-- perk_selling_out (warning): at the rate of the last $4 days' claims, an
-- active perk's remaining supply lasts less than $3 days (remaining ÷
-- claims per day < $3, with at least one claim in those days). A state:
-- one alert per perk while it holds.
--
-- Remaining supply as in perk_low_supply.sql; the claims per day are
-- counted in dw.fact_loyalty_transaction over [end - $4 days, end).
--
-- $1 window start, $2 window end, $3 days, $4 claims_window_days.
WITH tz AS (
    SELECT coalesce((SELECT s.time_zone FROM dw.snap_perk_supply_day s LIMIT 1), 'UTC') AS name
),
perk AS (
    SELECT k.perk_id, k.name, k.brand_id, b.name AS brand_name, k.total_supply,
           coalesce(s.cum_claims, 0) AS cum_claims,
           coalesce((s.day + 1)::timestamp AT TIME ZONE s.time_zone, '-infinity') AS since
    FROM dw.dim_perk k
    LEFT JOIN dw.dim_brand b ON b.brand_id = k.brand_id
    CROSS JOIN tz
    LEFT JOIN LATERAL (
        SELECT s.day, s.cum_claims, s.time_zone
        FROM dw.snap_perk_supply_day s
        WHERE s.perk_id = k.perk_id AND s.day < ($2::timestamptz AT TIME ZONE tz.name)::date
        ORDER BY s.day DESC
        LIMIT 1
    ) s ON true
    WHERE k.active AND k.total_supply > 0 AND k.created_at < $2::timestamptz
      AND $1::timestamptz IS NOT NULL
),
claims AS (
    -- one read covers both the claims since the snapshot and the rate window
    SELECT t.perk_id,
           count(*) FILTER (WHERE t.created_at >= p.since) AS since_snap,
           count(*) FILTER (WHERE t.created_at >= $2::timestamptz - make_interval(secs => $4::float8 * 86400)) AS in_window
    FROM dw.fact_loyalty_transaction t
    JOIN perk p ON p.perk_id = t.perk_id
    WHERE t.created_at >= least((SELECT min(since) FROM perk),
                                $2::timestamptz - make_interval(secs => $4::float8 * 86400))
      AND t.created_at < $2::timestamptz
      AND t.type = 'perk_claim'
    GROUP BY t.perk_id
),
rate AS (
    SELECT p.*, p.total_supply - p.cum_claims - c.since_snap AS remaining,
           c.in_window, c.in_window / $4::numeric AS per_day
    FROM perk p
    JOIN claims c ON c.perk_id = p.perk_id
    WHERE c.in_window > 0
)
SELECT 'perk_selling_out' AS code, 'warning' AS severity, 'perk' AS subject_kind,
       r.perk_id::text AS subject, 'perk:' || r.perk_id AS dedup_key,
       $2::timestamptz AS started_at, NULL::timestamptz AS ended_at,
       jsonb_build_object(
           'perk_id', r.perk_id,
           'perk_name', r.name,
           'brand_id', r.brand_id,
           'brand_name', r.brand_name,
           'total_supply', r.total_supply,
           'remaining', r.remaining,
           'claims_in_window', r.in_window,
           'claims_window_days', $4::numeric,
           'claims_per_day', round(r.per_day, 2),
           'days_left', round(greatest(r.remaining, 0) / r.per_day, 1),
           'threshold_days', $3::numeric) AS evidence
FROM rate r
WHERE greatest(r.remaining, 0) < $3::numeric * r.per_day
ORDER BY r.perk_id;
