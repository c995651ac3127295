-- Independent computation of every KPI of docs/kpis.md, for one period,
-- straight from the OPERATIONAL (source) schema. It is the authority the
-- tests hold `almanac kpi` to, so it shares nothing with the warehouse side:
-- no dw.* table, no schemas/kpi/ SQL, only the source tables and the
-- contract's words.
--
-- Inputs (psql variables):
--   period_start, period_end  local dates, end exclusive ('2026-10-01', '2026-11-01')
--   tz                        IANA business time zone ('UTC', 'America/Mexico_City')
--   grain                     day | week | month | quarter | 7d | 30d | 90d
-- and a TEMP table rejected(source_table text, source_key text) holding the
-- warehouse's open quarantine (etl.rejects WHERE resolved_run_id IS NULL):
-- those source rows are not in the warehouse, so they are in no KPI. Orphans
-- (a generation whose event was refused, ...) are themselves in rejects.
--
-- Output: one row per (code, scope, breakdown) with the value (numeric, NULL
-- = n/a) and the insight flag (NULL, or training_issue / upsell /
-- quality_issue / adjust_perks). Bands are checked by the harness from the
-- values and the default thresholds.
--
-- Decisions where docs/kpis.md is silent or ambiguous (an accountant's
-- reading; each is reported to the KPI engine's author):
--  D1  Sums of money, credits, points and counts over an empty set are 0, not
--      NULL ("no revenue this month" is 0.00 USD). NULL is reserved for
--      ratios/means/percentiles with nothing to divide or average, a pulse
--      with no checks, days-since-use of a never-used style, a perk's peak
--      hour/week without claims.
--  D2  Scopes are entity universes, so an entity with nothing in the period
--      still has its row (0 counts, NULL ratios):
--        partner:<id>   partners whose status at end is approved or
--                       deactivated, plus any partner with an event or a
--                       credit movement before end;
--        event_type:<t> always the four types wedding, corporate, holiday, other;
--        brand:<id>     brands created before end or with a transaction before end.
--  D3  Breakdowns over a closed list from the contract are always complete:
--      component:<c> (the four components), tier:<t>, step:<n>-<name>,
--      segment:<s>, channel:partner|b2c (generations_total),
--      source:partner|b2c|subscription (revenue_usd),
--      source:contracts|subscriptions (mrr_usd).
--      Breakdowns over entities list every entity of the universe at end:
--      style:<id> (styles created before end, in every style_* metric and in
--      both the platform and event_type scopes), category:<c> (categories of
--      those styles), perk:<id> (perks created before end, under platform and
--      under their brand). generations_by_hour lists every channel x weekday
--      x hour cell, zeros included (a heat map has no holes). Open
--      combinations appear only when non-empty: pack purchases
--      (channel/pack/promo), segment_movement (from/to).
--  D4  Metrics defined only by a breakdown have no headline row ('' breakdown):
--      pack_*, style_generations, style_rank, style_share_pct,
--      category_share_pct, style_days_since_use, generations_by_hour,
--      b2c_users_by_tier, funnel_*, perk_*, partners_in_segment,
--      segment_share_pct, segment_movement. style_deletion_rate_pct has one
--      (the platform rate), as the contract says.
--  D5  The partner status at an instant is the latest partner_status_history
--      row (by changed_at, then id) with changed_at before the instant. A
--      partner without any history row has one version, the partners row,
--      from its created_at.
--  D6  "Previous period" (growth, MRR growth, segment movement): the month /
--      quarter / 7 days / day / N days immediately before period_start.
--      revenue_growth_mom_pct exists for every grain (WoW for weeks...);
--      mrr_* for month and quarter only; segments for month only.
--  D7  "30 days before end" (b2c_active_30d) and "90 days before end"
--      (styles_inactive) are local calendar days: local midnight of
--      period_end − 30 (− 90), not 720 (2160) elapsed hours; the same unless a
--      DST change falls inside.
--  D8  style_days_since_use = the period's last local day − the local date
--      of the style's last generation before end (used on the last day: 0).
--  D9  Ranks (style_rank, perk_rank) are competition ranks: ties share the
--      rank and the next rank is skipped (1, 1, 3).
--  D10 customers_reached, engagement_rate_pct and arpc_usd at platform scope
--      count distinct user_ref across all brands (a customer of two brands
--      is one customer). Brand-level loyalty figures use the transaction's
--      brand_id; perk rows belong to the perk's brand.
--  D11 Generations of any status count everywhere (generations_total, the
--      style metrics, b2c_active_30d, deletion rates), as the contract says
--      "any status" once and never restricts it.
--  D12 A promotion code that is NULL or '' is "promo:no".
--  D13 active_rewards ignores the `active` flag: created before end and
--      (deactivated_at NULL or at/after end), as the contract says.

-- The query is large enough for PostgreSQL's JIT to spend seconds compiling it
-- for milliseconds of work.
SET jit = off;

WITH
-- Period ----------------------------------------------------------------------
params AS (
    SELECT :'period_start'::date AS ps,
           :'period_end'::date   AS pe,
           :'tz'::text           AS tz,
           :'grain'::text        AS grain
),
p AS (
    SELECT ps, pe, tz, grain,
           ps::timestamp AT TIME ZONE tz                 AS start_ts,
           pe::timestamp AT TIME ZONE tz                 AS end_ts,
           prev_ps,
           prev_ps::timestamp AT TIME ZONE tz            AS prev_start_ts,
           -- the last calendar month of this period and of the previous one (MRR)
           (pe - interval '1 month')::date::timestamp AT TIME ZONE tz AS last_month_ts,
           (ps - interval '1 month')::date::timestamp AT TIME ZONE tz AS prev_last_month_ts,
           (pe - 30)::timestamp AT TIME ZONE tz          AS end_minus_30_ts,
           (pe - 90)::timestamp AT TIME ZONE tz          AS end_minus_90_ts,
           (ps - 90)::timestamp AT TIME ZONE tz          AS start_minus_90_ts,
           (pe - ps)                                     AS days
    FROM params,
         LATERAL (SELECT CASE grain
                             WHEN 'month'   THEN (ps - interval '1 month')::date
                             WHEN 'quarter' THEN (ps - interval '3 months')::date
                             WHEN 'week'    THEN ps - 7
                             WHEN 'day'     THEN ps - 1
                             WHEN '7d'      THEN ps - 7
                             WHEN '30d'     THEN ps - 30
                             WHEN '90d'     THEN ps - 90
                         END AS prev_ps) x
),

-- Source rows the ETL accepted ------------------------------------------------
partners_ok AS (
    SELECT t.* FROM partners t
    WHERE NOT EXISTS (SELECT 1 FROM rejected r WHERE r.source_table = 'partners' AND r.source_key = t.id::text)
),
history_ok AS (
    SELECT t.id, t.partner_id, t.changed_at, t.status, t.contract_value_usd FROM partner_status_history t
    WHERE NOT EXISTS (SELECT 1 FROM rejected r WHERE r.source_table = 'partner_status_history' AND r.source_key = t.id::text)
),
events_ok AS (
    SELECT t.* FROM events t
    WHERE NOT EXISTS (SELECT 1 FROM rejected r WHERE r.source_table = 'events' AND r.source_key = t.id::text)
),
styles_ok AS (
    SELECT t.* FROM styles t
    WHERE NOT EXISTS (SELECT 1 FROM rejected r WHERE r.source_table = 'styles' AND r.source_key = t.id::text)
),
b2c_users_ok AS (
    SELECT t.* FROM b2c_users t
    WHERE NOT EXISTS (SELECT 1 FROM rejected r WHERE r.source_table = 'b2c_users' AND r.source_key = t.id::text)
),
generations_ok AS (
    SELECT t.* FROM generations t
    WHERE NOT EXISTS (SELECT 1 FROM rejected r WHERE r.source_table = 'generations' AND r.source_key = t.id::text)
),
credits_ok AS (
    SELECT t.* FROM credit_transactions t
    WHERE NOT EXISTS (SELECT 1 FROM rejected r WHERE r.source_table = 'credit_transactions' AND r.source_key = t.id::text)
),
health_ok AS (
    SELECT t.* FROM health_checks t
    WHERE NOT EXISTS (SELECT 1 FROM rejected r WHERE r.source_table = 'health_checks' AND r.source_key = t.id::text)
),
requests_ok AS (
    SELECT t.* FROM api_requests t
    WHERE NOT EXISTS (SELECT 1 FROM rejected r WHERE r.source_table = 'api_requests' AND r.source_key = t.id::text)
),
sessions_ok AS (
    SELECT t.* FROM sessions t
    WHERE NOT EXISTS (SELECT 1 FROM rejected r WHERE r.source_table = 'sessions' AND r.source_key = t.id::text)
),
steps_ok AS (
    SELECT t.* FROM session_steps t
    WHERE NOT EXISTS (SELECT 1 FROM rejected r WHERE r.source_table = 'session_steps' AND r.source_key = t.id::text)
),
brands_ok AS (
    SELECT t.* FROM loyalty_brands t
    WHERE NOT EXISTS (SELECT 1 FROM rejected r WHERE r.source_table = 'loyalty_brands' AND r.source_key = t.id::text)
),
rewards_ok AS (
    SELECT t.* FROM loyalty_rewards t
    WHERE NOT EXISTS (SELECT 1 FROM rejected r WHERE r.source_table = 'loyalty_rewards' AND r.source_key = t.id::text)
),
perks_ok AS (
    SELECT t.* FROM loyalty_perks t
    WHERE NOT EXISTS (SELECT 1 FROM rejected r WHERE r.source_table = 'loyalty_perks' AND r.source_key = t.id::text)
),
loyalty_ok AS (
    SELECT t.* FROM loyalty_transactions t
    WHERE NOT EXISTS (SELECT 1 FROM rejected r WHERE r.source_table = 'loyalty_transactions' AND r.source_key = t.id::text)
),

-- Health ----------------------------------------------------------------------
checks_p AS (
    SELECT h.* FROM health_ok h, p WHERE h.checked_at >= p.start_ts AND h.checked_at < p.end_ts
),
latest_check AS (
    SELECT DISTINCT ON (h.component) h.component, h.status, h.response_ms
    FROM health_ok h, p
    WHERE h.checked_at < p.end_ts
      AND h.checked_at >= p.end_ts - interval '24 hours'  -- older is no status (contract)
    ORDER BY h.component, h.checked_at DESC, h.id DESC
),
rounds AS (
    SELECT checked_at, bool_and(status = 'up') AS all_up FROM checks_p GROUP BY checked_at
),
components(component) AS (VALUES ('api'), ('database'), ('image_provider'), ('storage')),
requests_p AS (
    SELECT r.* FROM requests_ok r, p WHERE r.requested_at >= p.start_ts AND r.requested_at < p.end_ts
),
health_rows AS (
    SELECT 'system_pulse' AS code, 'platform' AS scope, '' AS breakdown,
           (CASE WHEN count(*) = 0 THEN NULL
                 WHEN bool_or(status = 'down') THEN 2
                 WHEN bool_or(response_ms > 5000) THEN 1
                 ELSE 0 END)::numeric AS value
    FROM latest_check
    UNION ALL
    SELECT 'uptime_pct', 'platform', '',
           100.0 * count(*) FILTER (WHERE all_up) / nullif(count(*), 0)
    FROM rounds
    UNION ALL
    SELECT 'uptime_pct', 'platform', 'component:' || c.component,
           100.0 * count(k.id) FILTER (WHERE k.status = 'up') / nullif(count(k.id), 0)
    FROM components c LEFT JOIN checks_p k ON k.component = c.component
    GROUP BY c.component
    UNION ALL
    SELECT 'api_requests', 'platform', '', count(*) FROM requests_p
    UNION ALL
    SELECT 'error_rate_pct', 'platform', '',
           100.0 * count(*) FILTER (WHERE status_code >= 500) / nullif(count(*), 0)
    FROM requests_p
    UNION ALL
    SELECT 'avg_response_s', 'platform', '', avg(duration_ms::numeric) / 1000 FROM requests_p
    UNION ALL
    SELECT 'p95_response_s', 'platform', '',
           (percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms))::numeric / 1000
    FROM requests_p
),

-- Partners --------------------------------------------------------------------
-- One version per history row; a partner without history gets its partners row (D5).
versions AS (
    SELECT partner_id, id AS version_id, changed_at, status, contract_value_usd FROM history_ok
    UNION ALL
    SELECT pa.id, 0, coalesce(pa.created_at, '-infinity'), pa.status, pa.contract_value_usd
    FROM partners_ok pa
    WHERE NOT EXISTS (SELECT 1 FROM history_ok h WHERE h.partner_id = pa.id)
),
state_end AS (
    SELECT DISTINCT ON (v.partner_id) v.partner_id, v.status, v.contract_value_usd
    FROM versions v, p WHERE v.changed_at < p.end_ts
    ORDER BY v.partner_id, v.changed_at DESC, v.version_id DESC
),
state_start AS (      -- = the end of the previous period
    SELECT DISTINCT ON (v.partner_id) v.partner_id, v.status, v.contract_value_usd
    FROM versions v, p WHERE v.changed_at < p.start_ts
    ORDER BY v.partner_id, v.changed_at DESC, v.version_id DESC
),
deactivations_p AS (
    SELECT DISTINCT x.partner_id
    FROM (SELECT v.*, lag(v.status) OVER (PARTITION BY v.partner_id ORDER BY v.changed_at, v.version_id) AS prev_status
          FROM versions v) x, p
    WHERE x.changed_at >= p.start_ts AND x.changed_at < p.end_ts
      AND x.status = 'deactivated' AND x.prev_status IS DISTINCT FROM 'deactivated'
),
partner_counts AS (
    SELECT (SELECT count(*) FROM state_end WHERE status IN ('approved', 'deactivated')) AS total,
           (SELECT count(*) FROM state_end WHERE status = 'approved') AS active,
           (SELECT count(*) FROM state_end WHERE status = 'deactivated') AS inactive,
           (SELECT count(*) FROM state_start WHERE status = 'approved') AS active_at_start,
           (SELECT count(*) FROM partners_ok pa, p
             WHERE pa.approved_at >= p.start_ts AND pa.approved_at < p.end_ts) AS approved,
           (SELECT count(*) FROM deactivations_p) AS deactivated,
           (SELECT count(*) FROM state_end s
             WHERE s.status = 'approved'
               AND EXISTS (SELECT 1 FROM events_ok e, p
                           WHERE e.partner_id = s.partner_id AND e.event_date >= p.ps AND e.event_date < p.pe)
           ) AS active_with_event
),
partner_rows AS (
    SELECT 'partners_total' AS code, 'platform' AS scope, '' AS breakdown, total::numeric AS value FROM partner_counts
    UNION ALL SELECT 'partners_active', 'platform', '', active FROM partner_counts
    UNION ALL SELECT 'partners_inactive', 'platform', '', inactive FROM partner_counts
    UNION ALL SELECT 'partners_approved', 'platform', '', approved FROM partner_counts
    UNION ALL SELECT 'partners_deactivated', 'platform', '', deactivated FROM partner_counts
    UNION ALL SELECT 'partner_growth_mom_pct', 'platform', '', 100.0 * approved / nullif(active_at_start, 0) FROM partner_counts
    UNION ALL SELECT 'partner_churn_mom_pct', 'platform', '', 100.0 * deactivated / nullif(active_at_start, 0) FROM partner_counts
    UNION ALL SELECT 'active_partner_ratio_pct', 'platform', '', 100.0 * active_with_event / nullif(active, 0) FROM partner_counts
),

-- Events, generations, credits ------------------------------------------------
-- Partner scope universe (D2).
partner_universe AS (
    SELECT partner_id FROM state_end WHERE status IN ('approved', 'deactivated')
    UNION
    SELECT e.partner_id FROM events_ok e, p WHERE e.event_date < p.pe
    UNION
    SELECT c.partner_id FROM credits_ok c, p WHERE c.partner_id IS NOT NULL AND c.created_at < p.end_ts
),
event_types(event_type) AS (VALUES ('wedding'), ('corporate'), ('holiday'), ('other')),
scopes_pt AS (        -- platform, partner, event type
    SELECT 'platform' AS scope
    UNION ALL SELECT 'partner:' || partner_id FROM partner_universe
    UNION ALL SELECT 'event_type:' || event_type FROM event_types
),
scopes_pp AS (        -- platform, partner
    SELECT 'platform' AS scope
    UNION ALL SELECT 'partner:' || partner_id FROM partner_universe
),
-- each event, with the generations made at it (any time, any status)
event_facts AS (
    SELECT e.id, e.partner_id, e.event_type, e.event_date, coalesce(g.n, 0) AS generations
    FROM events_ok e
    LEFT JOIN (SELECT event_id, count(*) AS n FROM generations_ok GROUP BY event_id) g ON g.event_id = e.id
),
event_scoped AS (
    SELECT s.scope, f.*
    FROM event_facts f
    CROSS JOIN LATERAL (VALUES ('platform'), ('partner:' || f.partner_id), ('event_type:' || f.event_type)) s(scope)
),
event_agg AS (
    SELECT sc.scope,
           count(es.id) FILTER (WHERE es.event_date >= p.ps AND es.event_date < p.pe) AS held,
           count(es.id) FILTER (WHERE es.event_date < p.pe) AS cumulative,
           coalesce(sum(es.generations) FILTER (WHERE es.event_date >= p.ps AND es.event_date < p.pe), 0) AS gens_at_held
    FROM scopes_pt sc CROSS JOIN p
    LEFT JOIN event_scoped es ON es.scope = sc.scope
    GROUP BY sc.scope
),
generations_p AS (
    SELECT g.*, e.partner_id, e.event_type,
           CASE WHEN g.event_id IS NOT NULL THEN 'partner' ELSE 'b2c' END AS channel
    FROM generations_ok g
    LEFT JOIN events_ok e ON e.id = g.event_id, p
    WHERE g.created_at >= p.start_ts AND g.created_at < p.end_ts
),
gen_scoped AS (
    SELECT 'platform' AS scope, id FROM generations_p
    UNION ALL SELECT 'partner:' || partner_id, id FROM generations_p WHERE partner_id IS NOT NULL
    UNION ALL SELECT 'event_type:' || event_type, id FROM generations_p WHERE event_type IS NOT NULL
),
gen_agg AS (
    SELECT sc.scope, count(gs.id) AS n
    FROM scopes_pt sc LEFT JOIN gen_scoped gs ON gs.scope = sc.scope
    GROUP BY sc.scope
),
-- partner credit movements; scope platform = all partners
partner_credits AS (
    SELECT s.scope, c.kind, c.credits, c.amount_usd, c.created_at
    FROM credits_ok c
    CROSS JOIN LATERAL (VALUES ('platform'), ('partner:' || c.partner_id)) s(scope)
    WHERE c.partner_id IS NOT NULL AND c.kind IN ('purchase', 'allocation', 'consumption')
),
credit_agg AS (
    SELECT sc.scope,
           coalesce(sum(pc.credits) FILTER (WHERE pc.kind = 'purchase' AND pc.created_at >= p.start_ts AND pc.created_at < p.end_ts), 0) AS bought_p,
           coalesce(sum(pc.credits) FILTER (WHERE pc.kind = 'consumption' AND pc.created_at >= p.start_ts AND pc.created_at < p.end_ts), 0) AS used_p,
           coalesce(sum(pc.credits) FILTER (WHERE pc.kind = 'purchase' AND pc.created_at < p.end_ts), 0) AS bought_cum,
           coalesce(sum(pc.credits) FILTER (WHERE pc.kind = 'allocation' AND pc.created_at < p.end_ts), 0) AS allocated_cum,
           coalesce(sum(pc.credits) FILTER (WHERE pc.kind = 'consumption' AND pc.created_at < p.end_ts), 0) AS used_cum,
           coalesce(sum(pc.amount_usd) FILTER (WHERE pc.kind = 'purchase' AND pc.created_at >= p.start_ts AND pc.created_at < p.end_ts), 0) AS revenue_p
    FROM scopes_pp sc CROSS JOIN p
    LEFT JOIN partner_credits pc ON pc.scope = sc.scope
    GROUP BY sc.scope
),
circulation AS (
    SELECT coalesce(sum(c.credits) FILTER (WHERE c.kind IN ('purchase', 'b2c_purchase', 'subscription')), 0)
         - coalesce(sum(c.credits) FILTER (WHERE c.kind = 'consumption'), 0)
         - coalesce(sum(c.credits) FILTER (WHERE c.kind = 'refund'), 0) AS credits
    FROM credits_ok c, p
    WHERE c.created_at < p.end_ts
),
event_credit_rows AS (
    SELECT 'events_total' AS code, scope, '' AS breakdown, held::numeric AS value, NULL::text AS flag FROM event_agg
    UNION ALL SELECT 'events_cumulative', scope, '', cumulative, NULL FROM event_agg
    UNION ALL SELECT 'avg_generations_per_event', scope, '', gens_at_held::numeric / nullif(held, 0), NULL FROM event_agg
    UNION ALL SELECT 'generations_total', scope, '', n, NULL FROM gen_agg
    UNION ALL
    SELECT 'generations_total', 'platform', 'channel:' || ch.channel,
           (SELECT count(*) FROM generations_p g WHERE g.channel = ch.channel), NULL
    FROM (VALUES ('partner'), ('b2c')) ch(channel)
    UNION ALL SELECT 'credits_bought', scope, '', bought_p, NULL FROM credit_agg
    UNION ALL SELECT 'credits_used', scope, '', used_p, NULL FROM credit_agg
    UNION ALL SELECT 'credits_in_channels', scope, '', bought_cum - allocated_cum, NULL FROM credit_agg
    UNION ALL
    SELECT 'consumption_ratio_pct', scope, '', r,
           CASE WHEN r < 50 THEN 'training_issue' WHEN r > 90 THEN 'upsell' END
    FROM (SELECT scope, 100.0 * used_cum / nullif(bought_cum, 0) AS r FROM credit_agg) x
    UNION ALL SELECT 'credits_in_circulation', 'platform', '', credits, NULL FROM circulation
),

-- Revenue ---------------------------------------------------------------------
revenue_p AS (
    SELECT coalesce(sum(c.amount_usd) FILTER (WHERE c.kind = 'purchase'), 0)     AS partner_usd,
           coalesce(sum(c.amount_usd) FILTER (WHERE c.kind = 'b2c_purchase'), 0) AS b2c_usd,
           coalesce(sum(c.amount_usd) FILTER (WHERE c.kind = 'subscription'), 0) AS subscription_usd
    FROM credits_ok c, p
    WHERE c.created_at >= p.start_ts AND c.created_at < p.end_ts
),
revenue_prev AS (
    SELECT coalesce(sum(c.amount_usd) FILTER (WHERE c.kind IN ('purchase', 'b2c_purchase', 'subscription')), 0) AS usd
    FROM credits_ok c, p
    WHERE c.created_at >= p.prev_start_ts AND c.created_at < p.start_ts
),
mrr AS (
    SELECT (SELECT coalesce(sum(contract_value_usd), 0) FROM state_end WHERE status = 'approved') AS contracts,
           (SELECT coalesce(sum(c.amount_usd), 0) FROM credits_ok c, p
             WHERE c.kind = 'subscription' AND c.created_at >= p.last_month_ts AND c.created_at < p.end_ts) AS subscriptions,
           (SELECT coalesce(sum(contract_value_usd), 0) FROM state_start WHERE status = 'approved')
         + (SELECT coalesce(sum(c.amount_usd), 0) FROM credits_ok c, p
             WHERE c.kind = 'subscription' AND c.created_at >= p.prev_last_month_ts AND c.created_at < p.start_ts) AS prev_total
),
packs AS (
    SELECT CASE c.kind WHEN 'purchase' THEN 'partner' ELSE 'b2c' END AS channel,
           c.pack_size,
           CASE WHEN nullif(c.promo_code, '') IS NULL THEN 'no' ELSE 'yes' END AS promo,
           coalesce(c.partner_id, c.b2c_user_id) AS buyer,
           c.amount_usd
    FROM credits_ok c, p
    WHERE c.kind IN ('purchase', 'b2c_purchase') AND c.created_at >= p.start_ts AND c.created_at < p.end_ts
),
pack_agg AS (
    SELECT 'channel:' || channel || '/pack:' || pack_size || '/promo:' || promo AS breakdown,
           count(*) AS purchases, count(DISTINCT buyer) AS buyers, coalesce(sum(amount_usd), 0) AS usd
    FROM packs GROUP BY channel, pack_size, promo
),
revenue_rows AS (
    SELECT 'revenue_usd' AS code, 'platform' AS scope, '' AS breakdown,
           partner_usd + b2c_usd + subscription_usd AS value FROM revenue_p
    UNION ALL SELECT 'revenue_usd', 'platform', 'source:partner', partner_usd FROM revenue_p
    UNION ALL SELECT 'revenue_usd', 'platform', 'source:b2c', b2c_usd FROM revenue_p
    UNION ALL SELECT 'revenue_usd', 'platform', 'source:subscription', subscription_usd FROM revenue_p
    UNION ALL SELECT 'revenue_usd', scope, '', revenue_p FROM credit_agg WHERE scope <> 'platform'
    UNION ALL
    SELECT 'revenue_growth_mom_pct', 'platform', '',
           (r.partner_usd + r.b2c_usd + r.subscription_usd - v.usd) * 100 / nullif(v.usd, 0)
    FROM revenue_p r, revenue_prev v
    UNION ALL
    SELECT 'mrr_usd', 'platform', '', contracts + subscriptions FROM mrr, p WHERE p.grain IN ('month', 'quarter')
    UNION ALL
    SELECT 'mrr_usd', 'platform', 'source:contracts', contracts FROM mrr, p WHERE p.grain IN ('month', 'quarter')
    UNION ALL
    SELECT 'mrr_usd', 'platform', 'source:subscriptions', subscriptions FROM mrr, p WHERE p.grain IN ('month', 'quarter')
    UNION ALL
    SELECT 'mrr_growth_mom_pct', 'platform', '', (contracts + subscriptions - prev_total) * 100 / nullif(prev_total, 0)
    FROM mrr, p WHERE p.grain IN ('month', 'quarter')
    UNION ALL SELECT 'pack_purchases', 'platform', breakdown, purchases FROM pack_agg
    UNION ALL SELECT 'pack_buyers', 'platform', breakdown, buyers FROM pack_agg
    UNION ALL SELECT 'pack_revenue_usd', 'platform', breakdown, usd FROM pack_agg
),

-- B2C -------------------------------------------------------------------------
users_end AS (
    SELECT u.id, u.created_at FROM b2c_users_ok u, p WHERE u.created_at < p.end_ts
),
user_spend AS (       -- cumulative b2c_purchase credits at end, per account
    SELECT u.id, coalesce(c.credits, 0) AS credits
    FROM users_end u
    LEFT JOIN (SELECT c.b2c_user_id, sum(c.credits) AS credits FROM credits_ok c, p
                WHERE c.kind = 'b2c_purchase' AND c.created_at < p.end_ts
                GROUP BY c.b2c_user_id) c ON c.b2c_user_id = u.id
),
tiers(label, lo, hi) AS (VALUES ('0', 0, 0), ('1-49', 1, 49), ('50-199', 50, 199), ('200+', 200, NULL)),
b2c_purchases_p AS (
    SELECT c.* FROM credits_ok c, p
    WHERE c.kind = 'b2c_purchase' AND c.created_at >= p.start_ts AND c.created_at < p.end_ts
),
b2c_buyers_p AS (
    SELECT b2c_user_id, count(*) AS purchases FROM b2c_purchases_p GROUP BY b2c_user_id
),
active_30d AS (
    SELECT count(DISTINCT u.id) AS n
    FROM users_end u JOIN generations_ok g ON g.b2c_user_id = u.id, p
    WHERE g.created_at >= p.end_minus_30_ts AND g.created_at < p.end_ts
),
sessions_p AS (
    SELECT s.* FROM sessions_ok s, p WHERE s.started_at >= p.start_ts AND s.started_at < p.end_ts
),
funnel_steps(n, step) AS (VALUES (1, 'upload'), (2, 'style'), (3, 'generate'), (4, 'download')),
funnel AS (
    SELECT f.n, f.step,
           (SELECT count(DISTINCT s.id) FROM sessions_p s
             WHERE EXISTS (SELECT 1 FROM steps_ok t WHERE t.session_id = s.id AND t.step = f.step)) AS reached,
           (SELECT count(*) FROM sessions_p) AS sessions
    FROM funnel_steps f
),
b2c_rows AS (
    SELECT 'b2c_users_total' AS code, 'platform' AS scope, '' AS breakdown, count(*)::numeric AS value FROM users_end
    UNION ALL
    SELECT 'b2c_new_users', 'platform', '', count(*) FROM users_end u, p WHERE u.created_at >= p.start_ts
    UNION ALL SELECT 'b2c_active_30d', 'platform', '', n FROM active_30d
    UNION ALL
    SELECT 'b2c_activation_pct', 'platform', '', 100.0 * a.n / nullif((SELECT count(*) FROM users_end), 0) FROM active_30d a
    UNION ALL
    SELECT 'b2c_revenue_month_usd', 'platform', '', coalesce(sum(amount_usd), 0) FROM b2c_purchases_p
    UNION ALL
    SELECT 'avg_credits_per_user', 'platform', '', sum(credits)::numeric / nullif(count(*), 0) FROM user_spend
    UNION ALL
    SELECT 'b2c_users_by_tier', 'platform', 'tier:' || t.label,
           (SELECT count(*) FROM user_spend s WHERE s.credits >= t.lo AND (t.hi IS NULL OR s.credits <= t.hi))
    FROM tiers t
    UNION ALL SELECT 'avg_purchase_usd', 'platform', '', avg(amount_usd) FROM b2c_purchases_p
    UNION ALL
    SELECT 'repeat_purchase_pct', 'platform', '',
           100.0 * count(*) FILTER (WHERE purchases >= 2) / nullif(count(*), 0)
    FROM b2c_buyers_p
    UNION ALL
    SELECT 'session_avg_s', 'platform', '', avg(extract(epoch FROM ended_at - started_at))
    FROM sessions_p WHERE ended_at IS NOT NULL
    UNION ALL
    SELECT 'funnel_reach_pct', 'platform', 'step:' || n || '-' || step, 100.0 * reached / nullif(sessions, 0)
    FROM funnel
    UNION ALL
    SELECT 'funnel_dropoff_pct', 'platform', 'step:' || f.n || '-' || f.step,
           100 - 100.0 * f.reached / nullif(b.reached, 0)
    FROM funnel f JOIN funnel b ON b.n = f.n - 1
),

-- Styles and usage ------------------------------------------------------------
style_universe AS (
    SELECT s.id, s.category, s.active FROM styles_ok s, p WHERE s.created_at < p.end_ts
),
style_life AS (       -- the 90 days before end, per style (contract: recent health)
    SELECT s.id, s.category, s.active,
           count(g.id) AS generations,
           count(g.id) FILTER (WHERE g.deleted_at < p.end_ts) AS deleted,
           max(g.created_at) AS last_used,
           count(g.id) AS gens_90d
    FROM style_universe s CROSS JOIN p
    LEFT JOIN generations_ok g ON g.style_id = s.id AND g.created_at < p.end_ts
                              AND g.created_at >= p.end_minus_90_ts
    GROUP BY s.id, s.category, s.active
),
platform_deletion AS (
    SELECT 100.0 * count(*) FILTER (WHERE g.deleted_at < p.end_ts) / nullif(count(*), 0) AS rate
    FROM generations_ok g, p WHERE g.created_at < p.end_ts AND g.created_at >= p.end_minus_90_ts
),
style_scopes AS (
    SELECT 'platform' AS scope, NULL::text AS event_type
    UNION ALL SELECT 'event_type:' || event_type, event_type FROM event_types
),
style_counts AS (     -- generations in P per scope and style
    SELECT sc.scope, s.id, s.category,
           (SELECT count(*) FROM generations_p g
             WHERE g.style_id = s.id AND (sc.event_type IS NULL OR g.event_type = sc.event_type)) AS n
    FROM style_scopes sc CROSS JOIN style_universe s
),
style_scope_totals AS (
    SELECT sc.scope,
           (SELECT count(*) FROM generations_p g
             WHERE sc.event_type IS NULL OR g.event_type = sc.event_type) AS total
    FROM style_scopes sc
),
style_rows AS (
    SELECT 'styles_total' AS code, 'platform' AS scope, '' AS breakdown, count(*)::numeric AS value, NULL::text AS flag
    FROM style_universe
    UNION ALL SELECT 'styles_active', 'platform', '', count(*) FILTER (WHERE active), NULL FROM style_universe
    UNION ALL
    SELECT 'styles_inactive', 'platform', '', count(*) FILTER (WHERE active IS NOT TRUE OR gens_90d = 0), NULL
    FROM style_life
    UNION ALL SELECT 'style_generations', scope, 'style:' || id, n, NULL FROM style_counts
    UNION ALL
    SELECT 'style_rank', scope, 'style:' || id, rank() OVER (ORDER BY n DESC), NULL
    FROM style_counts WHERE scope = 'platform'
    UNION ALL
    SELECT 'style_share_pct', c.scope, 'style:' || c.id, 100.0 * c.n / nullif(t.total, 0), NULL
    FROM style_counts c JOIN style_scope_totals t ON t.scope = c.scope
    UNION ALL
    SELECT 'category_share_pct', c.scope, 'category:' || c.category, 100.0 * sum(c.n) / nullif(t.total, 0), NULL
    FROM style_counts c JOIN style_scope_totals t ON t.scope = c.scope
    GROUP BY c.scope, c.category, t.total
    UNION ALL
    SELECT 'style_days_since_use', 'platform', 'style:' || id,
           (p.pe - 1) - (last_used AT TIME ZONE p.tz)::date, NULL
    FROM style_life, p
    UNION ALL SELECT 'style_deletion_rate_pct', 'platform', '', rate, NULL FROM platform_deletion
    UNION ALL
    SELECT 'style_deletion_rate_pct', 'platform', 'style:' || s.id,
           100.0 * s.deleted / nullif(s.generations, 0),
           CASE WHEN s.generations >= 50 AND 100.0 * s.deleted / nullif(s.generations, 0) >= 2 * d.rate THEN 'quality_issue' END
    FROM style_life s, platform_deletion d
    UNION ALL
    SELECT 'generations_by_hour', 'platform',
           'channel:' || c.channel || '/weekday:' || c.wd || '/hour:' || c.hr,
           (SELECT count(*) FROM generations_p g, p
             WHERE g.channel = c.channel
               AND extract(isodow FROM g.created_at AT TIME ZONE p.tz)::int = c.wd
               AND extract(hour FROM g.created_at AT TIME ZONE p.tz)::int = c.hr), NULL
    FROM (SELECT ch AS channel, wd, hr
          FROM unnest(ARRAY['partner', 'b2c']) AS ch, generate_series(1, 7) AS wd,
               generate_series(0, 23) AS hr) c   -- every cell: a heat map has no holes
),

-- Loyalty ---------------------------------------------------------------------
brand_universe AS (
    SELECT b.id FROM brands_ok b, p WHERE b.created_at < p.end_ts
    UNION
    SELECT t.brand_id FROM loyalty_ok t, p WHERE t.created_at < p.end_ts
),
loyalty_scopes AS (
    SELECT 'platform' AS scope, NULL::bigint AS brand_id
    UNION ALL SELECT 'brand:' || id, id FROM brand_universe
),
-- every transaction before end, with the perk's value for claims
loyalty_end AS (
    SELECT t.brand_id, t.type, t.user_ref, t.perk_id, t.usd_amount, t.rsnc_amount, t.created_at,
           pk.value_usd AS perk_value_usd,
           (t.created_at >= p.start_ts) AS in_p
    FROM loyalty_ok t LEFT JOIN perks_ok pk ON pk.id = t.perk_id, p
    WHERE t.created_at < p.end_ts
),
loyalty_agg AS (
    SELECT sc.scope, sc.brand_id,
           coalesce(sum(t.usd_amount) FILTER (WHERE t.type = 'purchase' AND t.in_p), 0) AS invested_usd,
           coalesce(sum(t.rsnc_amount) FILTER (WHERE t.type = 'distribution' AND t.in_p), 0) AS distributed,
           count(DISTINCT t.user_ref) FILTER (WHERE t.type = 'distribution' AND t.in_p) AS reached,
           count(DISTINCT t.user_ref) FILTER (WHERE t.type = 'distribution') AS reached_to_date,
           coalesce(sum(t.rsnc_amount) FILTER (WHERE t.type = 'purchase'), 0)
         - coalesce(sum(t.rsnc_amount) FILTER (WHERE t.type = 'distribution'), 0)
         - coalesce(sum(t.rsnc_amount) FILTER (WHERE t.type = 'sellback'), 0) AS balance,
           coalesce(sum(t.rsnc_amount) FILTER (WHERE t.type = 'perk_claim' AND t.in_p), 0) AS redeemed,
           coalesce(sum(t.perk_value_usd) FILTER (WHERE t.type = 'perk_claim' AND t.in_p), 0) AS revenue_usd,
           count(DISTINCT t.user_ref) FILTER (WHERE t.type = 'perk_claim' AND t.in_p) AS claimers
    FROM loyalty_scopes sc
    LEFT JOIN loyalty_end t ON sc.brand_id IS NULL OR t.brand_id = sc.brand_id
    GROUP BY sc.scope, sc.brand_id
),
distribution_median AS (
    SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY distributed) AS median
    FROM loyalty_agg WHERE brand_id IS NOT NULL AND distributed > 0
),
active_rewards AS (
    SELECT sc.scope,
           (SELECT count(*) FROM rewards_ok r, p
             WHERE (sc.brand_id IS NULL OR r.brand_id = sc.brand_id)
               AND r.created_at < p.end_ts
               AND (r.deactivated_at IS NULL OR r.deactivated_at >= p.end_ts)) AS n
    FROM loyalty_scopes sc
),
perk_universe AS (
    SELECT pk.id, pk.brand_id, pk.total_supply FROM perks_ok pk, p WHERE pk.created_at < p.end_ts
),
perk_stats AS (
    SELECT pk.id, pk.brand_id, pk.total_supply,
           count(t.perk_id) FILTER (WHERE t.in_p) AS claims_p,
           count(t.perk_id) AS claims_cum
    FROM perk_universe pk
    LEFT JOIN loyalty_end t ON t.type = 'perk_claim' AND t.perk_id = pk.id
    GROUP BY pk.id, pk.brand_id, pk.total_supply
),
perk_peak_hour AS (
    SELECT DISTINCT ON (perk_id) perk_id, hr
    FROM (SELECT t.perk_id, extract(hour FROM t.created_at AT TIME ZONE p.tz)::int AS hr, count(*) AS n
          FROM loyalty_end t, p WHERE t.type = 'perk_claim' AND t.in_p GROUP BY 1, 2) x
    ORDER BY perk_id, n DESC, hr
),
perk_peak_week AS (
    SELECT DISTINCT ON (perk_id) perk_id, monday
    FROM (SELECT t.perk_id, date_trunc('week', t.created_at AT TIME ZONE p.tz)::date AS monday, count(*) AS n
          FROM loyalty_end t, p WHERE t.type = 'perk_claim' AND t.in_p GROUP BY 1, 2) x
    ORDER BY perk_id, n DESC, monday
),
perk_scoped AS (
    SELECT s.scope, ps.*
    FROM perk_stats ps
    CROSS JOIN LATERAL (VALUES ('platform'), ('brand:' || ps.brand_id)) s(scope)
),
loyalty_rows AS (
    SELECT 'capital_invested_usd' AS code, scope, '' AS breakdown, invested_usd AS value, NULL::text AS flag FROM loyalty_agg
    UNION ALL SELECT 'points_distributed', scope, '', distributed, NULL FROM loyalty_agg
    UNION ALL SELECT 'customers_reached', scope, '', reached, NULL FROM loyalty_agg
    UNION ALL SELECT 'rsnc_balance', scope, '', balance, NULL FROM loyalty_agg
    UNION ALL SELECT 'points_redeemed', scope, '', redeemed, NULL FROM loyalty_agg
    UNION ALL
    SELECT 'capital_efficiency_pct', a.scope, '', 100.0 * a.redeemed / nullif(a.distributed, 0),
           CASE WHEN a.brand_id IS NOT NULL AND a.distributed > m.median
                 AND 100.0 * a.redeemed / nullif(a.distributed, 0) < 20 THEN 'adjust_perks' END
    FROM loyalty_agg a, distribution_median m
    UNION ALL SELECT 'active_rewards', scope, '', n, NULL FROM active_rewards
    UNION ALL SELECT 'revenue_generated_usd', scope, '', revenue_usd, NULL FROM loyalty_agg
    UNION ALL
    SELECT 'engagement_rate_pct', scope, '', 100.0 * claimers / nullif(reached_to_date, 0), NULL FROM loyalty_agg
    UNION ALL SELECT 'arpc_usd', scope, '', revenue_usd / nullif(reached, 0), NULL FROM loyalty_agg
    UNION ALL SELECT 'perk_claims', scope, 'perk:' || id, claims_p, NULL FROM perk_scoped
    UNION ALL
    SELECT 'perk_claims_per_day', scope, 'perk:' || id, claims_p::numeric / p.days, NULL FROM perk_scoped, p
    UNION ALL
    SELECT 'perk_supply_remaining', scope, 'perk:' || id, total_supply - claims_cum, NULL FROM perk_scoped
    UNION ALL
    SELECT 'perk_rank', scope, 'perk:' || id, rank() OVER (PARTITION BY scope ORDER BY claims_p DESC), NULL
    FROM perk_scoped
    UNION ALL
    SELECT 'perk_peak_hour', s.scope, 'perk:' || s.id, h.hr, NULL
    FROM perk_scoped s LEFT JOIN perk_peak_hour h ON h.perk_id = s.id
    UNION ALL
    SELECT 'perk_peak_week', s.scope, 'perk:' || s.id, to_char(w.monday, 'YYYYMMDD')::numeric, NULL
    FROM perk_scoped s LEFT JOIN perk_peak_week w ON w.perk_id = s.id
),

-- Partner segments (month grain) ----------------------------------------------
-- seg_at(end instant, end date): partners approved at that instant
segment_now AS (
    SELECT s.partner_id,
           CASE WHEN x.events_90d = 0 THEN 'dormant'
                WHEN x.events_90d / 3.0 >= 10 AND x.usage >= 80 THEN 'power'
                WHEN x.events_90d / 3.0 >= 3 AND x.usage >= 50 THEN 'active'
                ELSE 'occasional' END AS segment
    FROM state_end s, p,
         LATERAL (SELECT (SELECT count(*) FROM events_ok e
                           WHERE e.partner_id = s.partner_id AND e.event_date >= p.pe - 90 AND e.event_date < p.pe) AS events_90d,
                         (SELECT 100.0 * sum(c.credits) FILTER (WHERE c.kind = 'consumption')
                                 / nullif(sum(c.credits) FILTER (WHERE c.kind = 'purchase'), 0)
                           FROM credits_ok c
                           WHERE c.partner_id = s.partner_id AND c.created_at < p.end_ts) AS usage) x
    WHERE s.status = 'approved' AND p.grain = 'month'
),
segment_last AS (
    SELECT s.partner_id,
           CASE WHEN x.events_90d = 0 THEN 'dormant'
                WHEN x.events_90d / 3.0 >= 10 AND x.usage >= 80 THEN 'power'
                WHEN x.events_90d / 3.0 >= 3 AND x.usage >= 50 THEN 'active'
                ELSE 'occasional' END AS segment
    FROM state_start s, p,
         LATERAL (SELECT (SELECT count(*) FROM events_ok e
                           WHERE e.partner_id = s.partner_id AND e.event_date >= p.ps - 90 AND e.event_date < p.ps) AS events_90d,
                         (SELECT 100.0 * sum(c.credits) FILTER (WHERE c.kind = 'consumption')
                                 / nullif(sum(c.credits) FILTER (WHERE c.kind = 'purchase'), 0)
                           FROM credits_ok c
                           WHERE c.partner_id = s.partner_id AND c.created_at < p.start_ts) AS usage) x
    WHERE s.status = 'approved' AND p.grain = 'month'
),
segment_names(segment) AS (VALUES ('power'), ('active'), ('occasional'), ('dormant')),
segment_rows AS (
    SELECT 'partners_in_segment' AS code, 'platform' AS scope, 'segment:' || n.segment AS breakdown,
           (SELECT count(*) FROM segment_now s WHERE s.segment = n.segment)::numeric AS value
    FROM segment_names n, p WHERE p.grain = 'month'
    UNION ALL
    SELECT 'segment_share_pct', 'platform', 'segment:' || n.segment,
           100.0 * (SELECT count(*) FROM segment_now s WHERE s.segment = n.segment)
                 / nullif((SELECT count(*) FROM segment_now), 0)
    FROM segment_names n, p WHERE p.grain = 'month'
    UNION ALL
    SELECT 'segment_movement', 'platform',
           'from:' || coalesce(l.segment, 'new') || '/to:' || s.segment, count(*)
    FROM segment_now s LEFT JOIN segment_last l ON l.partner_id = s.partner_id
    GROUP BY coalesce(l.segment, 'new'), s.segment
)

SELECT code, scope, breakdown, value, flag FROM (
    SELECT code, scope, breakdown, value, NULL::text AS flag FROM health_rows
    UNION ALL SELECT code, scope, breakdown, value, NULL FROM partner_rows
    UNION ALL SELECT code, scope, breakdown, value, flag FROM event_credit_rows
    UNION ALL SELECT code, scope, breakdown, value, NULL FROM revenue_rows
    UNION ALL SELECT code, scope, breakdown, value, NULL FROM b2c_rows
    UNION ALL SELECT code, scope, breakdown, value, flag FROM style_rows
    UNION ALL SELECT code, scope, breakdown, value, flag FROM loyalty_rows
    UNION ALL SELECT code, scope, breakdown, value, NULL FROM segment_rows
) all_rows
ORDER BY code, scope, breakdown;
