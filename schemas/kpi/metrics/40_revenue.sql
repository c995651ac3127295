-- Revenue: revenue_usd, revenue_growth_mom_pct, mrr_usd, mrr_growth_mom_pct,
-- and price sensitivity (pack_purchases, pack_buyers, pack_revenue_usd).

-- Revenue = money received: partner packs, B2C packs, subscription fees.
WITH m AS (
    SELECT c.kind, c.partner_id, c.amount_usd, c.created_at >= (SELECT start_ts FROM kpi_p) AS in_period
    FROM dw.fact_credit_movement c
    WHERE c.kind IN ('purchase', 'b2c_purchase', 'subscription')
      AND c.created_at >= (SELECT prev_start_ts FROM kpi_p) AND c.created_at < (SELECT end_ts FROM kpi_p)
), t AS (
    SELECT coalesce(sum(amount_usd) FILTER (WHERE in_period), 0) AS cur,
           coalesce(sum(amount_usd) FILTER (WHERE NOT in_period), 0) AS prev,
           coalesce(sum(amount_usd) FILTER (WHERE in_period AND kind = 'purchase'), 0) AS partner,
           coalesce(sum(amount_usd) FILTER (WHERE in_period AND kind = 'b2c_purchase'), 0) AS b2c,
           coalesce(sum(amount_usd) FILTER (WHERE in_period AND kind = 'subscription'), 0) AS subs
    FROM m
), per_partner AS (
    SELECT partner_id, sum(amount_usd) AS usd
    FROM m WHERE in_period AND kind = 'purchase'
    GROUP BY partner_id
)
INSERT INTO kpi_raw (which, code, scope, breakdown, value, unit)
SELECT p.which, x.code, 'platform', x.breakdown, x.value, x.unit
FROM kpi_p p, t
CROSS JOIN LATERAL (VALUES
    ('revenue_usd', '', t.cur, 'usd'),
    ('revenue_usd', 'source:partner', t.partner, 'usd'),
    ('revenue_usd', 'source:b2c', t.b2c, 'usd'),
    ('revenue_usd', 'source:subscription', t.subs, 'usd'),
    ('revenue_growth_mom_pct', '', (t.cur - t.prev) / nullif(t.prev, 0) * 100, 'pct')
) AS x(code, breakdown, value, unit)
UNION ALL
SELECT p.which, 'revenue_usd', 'partner:' || k.partner_id, '', coalesce(pp.usd, 0), 'usd'
FROM kpi_p p, kpi_partners k
LEFT JOIN per_partner pp ON pp.partner_id = k.partner_id;

-- MRR (months and quarters): contract values of the partners active at the
-- end (the version valid then) plus the subscription fees charged in the
-- period's last calendar month. Growth compares with the previous period's
-- MRR, computed the same way at its own end.
WITH b AS (
    SELECT p.which, p.end_ts, p.last_month_ts, p.prev_end_ts,
           date_trunc('month', (p.prev_end_date - 1)::timestamp)::timestamptz AS prev_last_month_ts
    FROM kpi_p p
    WHERE p.grain IN ('month', 'quarter')
), v AS (
    SELECT b.which,
           (SELECT coalesce(sum(d.contract_value_usd), 0) FROM dw.dim_partner d
            WHERE d.status = 'approved' AND d.valid_from < b.end_ts AND d.valid_to >= b.end_ts) AS contracts,
           (SELECT coalesce(sum(c.amount_usd), 0) FROM dw.fact_credit_movement c
            WHERE c.kind = 'subscription' AND c.created_at >= b.last_month_ts AND c.created_at < b.end_ts) AS subs,
           (SELECT coalesce(sum(d.contract_value_usd), 0) FROM dw.dim_partner d
            WHERE d.status = 'approved' AND d.valid_from < b.prev_end_ts AND d.valid_to >= b.prev_end_ts)
         + (SELECT coalesce(sum(c.amount_usd), 0) FROM dw.fact_credit_movement c
            WHERE c.kind = 'subscription' AND c.created_at >= b.prev_last_month_ts
              AND c.created_at < b.prev_end_ts) AS prev_mrr
    FROM b
)
INSERT INTO kpi_raw (which, code, scope, breakdown, value, unit)
SELECT v.which, x.code, 'platform', x.breakdown, x.value, x.unit
FROM v
CROSS JOIN LATERAL (VALUES
    ('mrr_usd', '', v.contracts + v.subs, 'usd'),
    ('mrr_usd', 'source:contracts', v.contracts, 'usd'),
    ('mrr_usd', 'source:subscriptions', v.subs, 'usd'),
    ('mrr_growth_mom_pct', '', (v.contracts + v.subs - v.prev_mrr) / nullif(v.prev_mrr, 0) * 100, 'pct')
) AS x(code, breakdown, value, unit);

-- Price sensitivity: purchases by channel, pack size and promotion code.
WITH s AS (
    SELECT CASE c.kind WHEN 'purchase' THEN 'partner' ELSE 'b2c' END AS channel,
           c.pack_size, c.promo_code IS NOT NULL AS promo,
           coalesce(c.partner_id, c.b2c_user_id) AS buyer, c.amount_usd
    FROM dw.fact_credit_movement c
    WHERE c.kind IN ('purchase', 'b2c_purchase')
      AND c.created_at >= (SELECT start_ts FROM kpi_p) AND c.created_at < (SELECT end_ts FROM kpi_p)
), g AS (
    SELECT channel, pack_size, promo, count(*) AS n, count(DISTINCT buyer) AS buyers,
           sum(amount_usd) AS usd
    FROM s GROUP BY channel, pack_size, promo
)
INSERT INTO kpi_raw (which, code, scope, breakdown, value, unit)
SELECT p.which, x.code, 'platform',
       'channel:' || g.channel || '/pack:' || coalesce(g.pack_size::text, 'none')
           || '/promo:' || CASE WHEN g.promo THEN 'yes' ELSE 'no' END,
       x.value, x.unit
FROM kpi_p p, g
CROSS JOIN LATERAL (VALUES
    ('pack_purchases', g.n::numeric, 'count'),
    ('pack_buyers', g.buyers::numeric, 'count'),
    ('pack_revenue_usd', g.usd, 'usd')
) AS x(code, value, unit);
