-- The daily rollups (migration 026) recomputed from the facts, written
-- apart from the ETL's statements (first reach by row_number rather than
-- min, days as UTC dates rather than date_key), and compared with what is
-- stored: one row per rollup with the number of rows that differ either
-- way. All zeros: the rollups are exact.
WITH credit AS (
    SELECT to_char((c.created_at AT TIME ZONE 'UTC')::date, 'YYYYMMDD')::integer AS date_key,
           c.kind, c.partner_id,
           CASE WHEN c.kind = 'b2c_purchase' THEN c.b2c_user_id END AS b2c_user_id,
           sum(coalesce(c.credits, 0)) AS credits, count(*) AS movements
    FROM dw.fact_credit_movement c
    WHERE c.created_at IS NOT NULL AND c.kind IS NOT NULL
    GROUP BY 1, 2, 3, 4
), loyalty AS (
    SELECT to_char((t.created_at AT TIME ZONE 'UTC')::date, 'YYYYMMDD')::integer AS date_key,
           t.brand_id, t.type,
           CASE WHEN t.type = 'perk_claim' THEN t.perk_id END AS perk_id,
           sum(coalesce(t.rsnc_amount, 0)) AS rsnc_amount, count(*) AS transactions
    FROM dw.fact_loyalty_transaction t
    WHERE t.created_at IS NOT NULL AND t.type IS NOT NULL
    GROUP BY 1, 2, 3, 4
), ranked AS (
    SELECT t.brand_id, t.created_at,
           row_number() OVER (PARTITION BY t.user_ref, t.brand_id ORDER BY t.created_at) AS in_brand,
           row_number() OVER (PARTITION BY t.user_ref ORDER BY t.created_at) AS overall
    FROM dw.fact_loyalty_transaction t
    WHERE t.type = 'distribution'
), reach AS (
    SELECT to_char((created_at AT TIME ZONE 'UTC')::date, 'YYYYMMDD')::integer AS date_key,
           brand_id, count(*) AS first_reached
    FROM ranked WHERE in_brand = 1 AND brand_id IS NOT NULL
    GROUP BY 1, 2
    UNION ALL
    SELECT to_char((created_at AT TIME ZONE 'UTC')::date, 'YYYYMMDD')::integer, NULL, count(*)
    FROM ranked WHERE overall = 1
    GROUP BY 1
)
SELECT 'agg_credit_day',
       (SELECT count(*) FROM ((SELECT * FROM credit EXCEPT ALL
                               SELECT date_key, kind, partner_id, b2c_user_id, credits, movements
                               FROM dw.agg_credit_day)
                              UNION ALL
                              (SELECT date_key, kind, partner_id, b2c_user_id, credits, movements
                               FROM dw.agg_credit_day EXCEPT ALL SELECT * FROM credit)) d)
UNION ALL
SELECT 'agg_loyalty_day',
       (SELECT count(*) FROM ((SELECT * FROM loyalty EXCEPT ALL
                               SELECT date_key, brand_id, type, perk_id, rsnc_amount, transactions
                               FROM dw.agg_loyalty_day)
                              UNION ALL
                              (SELECT date_key, brand_id, type, perk_id, rsnc_amount, transactions
                               FROM dw.agg_loyalty_day EXCEPT ALL SELECT * FROM loyalty)) d)
UNION ALL
SELECT 'agg_loyalty_reach_day',
       (SELECT count(*) FROM ((SELECT * FROM reach EXCEPT ALL
                               SELECT date_key, brand_id, first_reached FROM dw.agg_loyalty_reach_day)
                              UNION ALL
                              (SELECT date_key, brand_id, first_reached FROM dw.agg_loyalty_reach_day
                               EXCEPT ALL SELECT * FROM reach)) d)
ORDER BY 1;
