-- perk_low_supply (warning): an active perk's remaining supply (total
-- supply - claims, all time) is below $3 % of its total supply at the
-- window end. A state: one alert per perk while it holds.
--
-- Claims up to the window end = cum_claims of the latest day of
-- dw.snap_perk_supply_day before the window end's day + the claims since
-- (at most about a day of dw.fact_loyalty_transaction).
--
-- $1 window start, $2 window end, $3 remaining_pct.
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
recent AS (
    SELECT t.perk_id, count(*) AS claims
    FROM dw.fact_loyalty_transaction t
    JOIN perk p ON p.perk_id = t.perk_id AND t.created_at >= p.since
    WHERE t.created_at >= (SELECT min(since) FROM perk) AND t.created_at < $2::timestamptz
      AND t.type = 'perk_claim'
    GROUP BY t.perk_id
),
supply AS (
    SELECT p.*, p.cum_claims + coalesce(r.claims, 0) AS claimed,
           p.total_supply - p.cum_claims - coalesce(r.claims, 0) AS remaining
    FROM perk p
    LEFT JOIN recent r ON r.perk_id = p.perk_id
)
SELECT 'perk_low_supply' AS code, 'warning' AS severity, 'perk' AS subject_kind,
       s.perk_id::text AS subject, 'perk:' || s.perk_id AS dedup_key,
       $2::timestamptz AS started_at, NULL::timestamptz AS ended_at,
       jsonb_build_object(
           'perk_id', s.perk_id,
           'perk_name', s.name,
           'brand_id', s.brand_id,
           'brand_name', s.brand_name,
           'total_supply', s.total_supply,
           'claimed', s.claimed,
           'remaining', s.remaining,
           'remaining_pct', round(100.0 * s.remaining / s.total_supply, 2),
           'threshold_pct', $3::numeric) AS evidence
FROM supply s
WHERE 100.0 * s.remaining < $3::numeric * s.total_supply
ORDER BY s.perk_id;
