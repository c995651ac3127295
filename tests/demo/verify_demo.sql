-- Independent check of the demo data (schemas/demo/*.sql).
--
-- Run after generation against the source database. Every check recomputes
-- its numbers from the raw operational tables with the rules of KPIS.md and
-- compares them with almanac_demo.truth; none reads the generator's work
-- tables. A check that fails RAISEs EXCEPTION with what it expected and what
-- it found. Works from psql -f (one statement at a time) and from a single
-- PQexec; independent of the session time zone (the business day is UTC).
--
-- Rows listed as malformed in the truth are left out of every check except
-- the malformed-row checks themselves, as the extractor would quarantine
-- them. The script leaves session-local helpers behind (pg_temp functions
-- and the temp table verify_bad); it changes nothing else. At scale 1 it
-- takes about 15 s.

-- Helpers (session-local) -------------------------------------------------------

CREATE OR REPLACE FUNCTION pg_temp.param(key text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT detail ->> key FROM almanac_demo.truth WHERE kind = 'params'
$$;

-- End of history: midnight UTC after the last day.
CREATE OR REPLACE FUNCTION pg_temp.t_end() RETURNS timestamptz
LANGUAGE sql STABLE AS $$
    SELECT ((pg_temp.param('history_end')::date + 1)::timestamp AT TIME ZONE 'UTC')
$$;

CREATE OR REPLACE FUNCTION pg_temp.t_start() RETURNS timestamptz
LANGUAGE sql STABLE AS $$
    SELECT (pg_temp.param('history_start')::date::timestamp AT TIME ZONE 'UTC')
$$;

-- UTC calendar day and month of a timestamp.
CREATE OR REPLACE FUNCTION pg_temp.day(t timestamptz) RETURNS date
LANGUAGE sql IMMUTABLE AS $$ SELECT (t AT TIME ZONE 'UTC')::date $$;

CREATE OR REPLACE FUNCTION pg_temp.month(t timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM') $$;

-- Whether a text is a JSON object.
CREATE OR REPLACE FUNCTION pg_temp.is_json_object(t text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    RETURN jsonb_typeof(t::jsonb) = 'object';
EXCEPTION WHEN others THEN
    RETURN false;
END
$$;

-- The condition that a malformed row of a table must meet for its reason
-- (on the row aliased x).
CREATE OR REPLACE FUNCTION pg_temp.bad_rule(tbl text, reason text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE tbl || '/' || reason
        WHEN 'generations/unknown_enum' THEN $r$x.status NOT IN ('completed', 'failed')$r$
        WHEN 'generations/negative_amount' THEN 'x.credits < 0'
        WHEN 'generations/orphan_reference' THEN
            $r$NOT EXISTS (SELECT 1 FROM styles s WHERE s.id = x.style_id)
               OR (x.event_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM events e WHERE e.id = x.event_id))
               OR (x.b2c_user_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM b2c_users u WHERE u.id = x.b2c_user_id))$r$
        WHEN 'generations/missing_required' THEN 'x.created_at IS NULL OR x.style_id IS NULL OR x.status IS NULL'
        WHEN 'generations/bad_timestamp' THEN 'x.created_at >= pg_temp.t_end() OR x.created_at < pg_temp.t_start()'
        WHEN 'events/unknown_enum' THEN $r$x.event_type NOT IN ('wedding', 'corporate', 'holiday', 'other')$r$
        WHEN 'events/negative_amount' THEN 'x.credits_allocated < 0'
        WHEN 'events/orphan_reference' THEN 'NOT EXISTS (SELECT 1 FROM partners p WHERE p.id = x.partner_id)'
        WHEN 'events/missing_required' THEN 'x.event_date IS NULL OR x.name IS NULL OR x.partner_id IS NULL'
        WHEN 'events/bad_timestamp' THEN $r$x.event_date >= pg_temp.param('history_end')::date + 1$r$
        WHEN 'credit_transactions/unknown_enum' THEN
            $r$x.kind NOT IN ('purchase', 'allocation', 'consumption', 'refund', 'b2c_purchase', 'subscription')$r$
        WHEN 'credit_transactions/negative_amount' THEN 'x.credits < 0 OR x.amount_usd < 0'
        WHEN 'credit_transactions/orphan_reference' THEN
            $r$(x.partner_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM partners p WHERE p.id = x.partner_id))
               OR (x.b2c_user_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM b2c_users u WHERE u.id = x.b2c_user_id))
               OR (x.event_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM events e WHERE e.id = x.event_id))$r$
        WHEN 'credit_transactions/missing_required' THEN 'x.created_at IS NULL OR x.kind IS NULL'
        WHEN 'credit_transactions/bad_timestamp' THEN 'x.created_at >= pg_temp.t_end()'
        WHEN 'activity_log/unknown_enum' THEN
            $r$x.action NOT IN ('partner_application_submitted', 'partner_approved', 'partner_rejected',
                                'partner_deactivated', 'partner_reactivated', 'partner_contract_changed',
                                'partner_renamed', 'login', 'login_failed', 'logout', 'b2c_signup',
                                'event_created', 'generation_deleted', 'api_key_created', 'credits_purchased',
                                'data_export', 'db_connection_failed')
               OR x.actor_type NOT IN ('admin', 'partner', 'b2c_user', 'system')$r$
        WHEN 'activity_log/bad_json' THEN 'NOT pg_temp.is_json_object(x.details)'
        WHEN 'activity_log/missing_required' THEN 'x.occurred_at IS NULL OR x.action IS NULL'
        WHEN 'activity_log/bad_timestamp' THEN 'x.occurred_at >= pg_temp.t_end()'
        WHEN 'loyalty_transactions/unknown_enum' THEN
            $r$x.type NOT IN ('purchase', 'distribution', 'perk_claim', 'sellback')$r$
        WHEN 'loyalty_transactions/bad_json' THEN 'NOT pg_temp.is_json_object(x.metadata)'
        WHEN 'loyalty_transactions/negative_amount' THEN 'x.rsnc_amount < 0 OR x.usd_amount < 0'
        WHEN 'loyalty_transactions/orphan_reference' THEN
            $r$NOT EXISTS (SELECT 1 FROM loyalty_brands b WHERE b.id = x.brand_id)
               OR (x.perk_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM loyalty_perks k WHERE k.id = x.perk_id))
               OR (x.reward_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM loyalty_rewards w WHERE w.id = x.reward_id))$r$
        WHEN 'loyalty_transactions/missing_required' THEN 'x.brand_id IS NULL OR x.created_at IS NULL'
        WHEN 'loyalty_transactions/bad_timestamp' THEN 'x.created_at >= pg_temp.t_end()'
        WHEN 'api_requests/unknown_enum' THEN
            $r$x.method NOT IN ('GET', 'POST', 'PUT', 'PATCH', 'DELETE') OR x.status_code NOT BETWEEN 100 AND 599$r$
        WHEN 'api_requests/negative_amount' THEN 'x.duration_ms < 0'
        WHEN 'api_requests/missing_required' THEN 'x.requested_at IS NULL'
        WHEN 'api_requests/bad_timestamp' THEN 'x.requested_at >= pg_temp.t_end()'
        WHEN 'session_steps/unknown_enum' THEN $r$x.step NOT IN ('upload', 'style', 'generate', 'download')$r$
        WHEN 'session_steps/orphan_reference' THEN 'NOT EXISTS (SELECT 1 FROM sessions s WHERE s.id = x.session_id)'
        ELSE 'false'
    END
$$;

-- The malformed rows, keyed for anti-joins (a NOT IN over a large list
-- would not be hashed once it outgrows work_mem).
CREATE TEMP TABLE IF NOT EXISTS verify_bad (tbl text, id bigint, PRIMARY KEY (tbl, id));
TRUNCATE verify_bad;
INSERT INTO verify_bad
SELECT detail ->> 'table', (detail ->> 'id')::bigint FROM almanac_demo.truth WHERE kind = 'malformed';
ANALYZE verify_bad;

-- 1. The truth table itself ------------------------------------------------------

DO $$
DECLARE
    missing text;
BEGIN
    IF (SELECT count(*) FROM almanac_demo.truth WHERE kind = 'params') <> 1 THEN
        RAISE EXCEPTION 'verify_demo: expected one params row in almanac_demo.truth';
    END IF;
    IF pg_temp.param('history_end')::date + 1
       <> date_trunc('month', pg_temp.param('as_of')::date::timestamp)::date
       OR pg_temp.param('history_start')::date
       <> (pg_temp.param('history_end')::date + 1 - interval '36 months')::date THEN
        RAISE EXCEPTION 'verify_demo: params history % .. % does not span the 36 months before as_of %',
            pg_temp.param('history_start'), pg_temp.param('history_end'), pg_temp.param('as_of');
    END IF;
    SELECT string_agg(k, ', ') INTO missing
    FROM unnest(ARRAY['seasonal_factor', 'partner_segment', 'partner_growth', 'partner_reactivated',
                      'contract_change', 'outage', 'isolated_down_check', 'system_pulse', 'error_spike',
                      'failed_login_burst', 'bulk_deletion', 'bulk_export', 'db_connection_failure',
                      'unauthorized_api', 'high_value_purchase', 'low_credit_partner',
                      'poor_quality_style', 'perk_low_supply', 'perk_selling_out', 'brand_low_rsnc',
                      'pending_application', 'malformed', 'hostile_text', 'seasonal_count',
                      'loyalty_low_efficiency']) AS k
    WHERE NOT EXISTS (SELECT 1 FROM almanac_demo.truth t WHERE t.kind = k);
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION 'verify_demo: the truth has no item of kind %', missing;
    END IF;
END
$$;

-- 2. Malformed rows: each listed row exists and breaks the rule its reason
-- names; at least two per reason and table; every other row keeps every rule.

DO $$
DECLARE
    r record;
    ok boolean;
    cnt bigint;
BEGIN
    FOR r IN
        SELECT detail ->> 'table' AS tbl, (detail ->> 'id')::bigint AS id, detail ->> 'reason' AS reason
        FROM almanac_demo.truth WHERE kind = 'malformed'
    LOOP
        IF r.reason NOT IN ('unknown_enum', 'bad_json', 'negative_amount', 'orphan_reference',
                            'missing_required', 'bad_timestamp') THEN
            RAISE EXCEPTION 'verify_demo: malformed %:% has unknown reason %', r.tbl, r.id, r.reason;
        END IF;
        EXECUTE format('SELECT (%s) FROM %I x WHERE x.id = $1', pg_temp.bad_rule(r.tbl, r.reason), r.tbl)
            INTO ok USING r.id;
        IF ok IS NOT TRUE THEN
            RAISE EXCEPTION 'verify_demo: malformed row %:% is missing or not % as the truth says', r.tbl, r.id, r.reason;
        END IF;
    END LOOP;

    FOR r IN
        SELECT t.tbl, t.reason
        FROM (VALUES ('generations'), ('events'), ('credit_transactions'), ('activity_log'),
                     ('loyalty_transactions'), ('api_requests')) AS t0(tbl)
        CROSS JOIN LATERAL (
            SELECT t0.tbl, reason FROM unnest(CASE t0.tbl
                WHEN 'activity_log' THEN ARRAY['unknown_enum', 'bad_json', 'missing_required']
                WHEN 'loyalty_transactions' THEN ARRAY['unknown_enum', 'bad_json', 'negative_amount',
                                                      'orphan_reference', 'missing_required']
                WHEN 'api_requests' THEN ARRAY['unknown_enum', 'negative_amount', 'missing_required']
                ELSE ARRAY['unknown_enum', 'negative_amount', 'orphan_reference', 'missing_required'] END) AS reason
        ) t
    LOOP
        SELECT count(*) INTO cnt FROM almanac_demo.truth
        WHERE kind = 'malformed' AND detail ->> 'table' = r.tbl AND detail ->> 'reason' = r.reason;
        IF cnt < 2 THEN
            RAISE EXCEPTION 'verify_demo: only % malformed rows of reason % in %, expected at least 2', cnt, r.reason, r.tbl;
        END IF;
    END LOOP;
END
$$;

-- Every row not listed as malformed keeps the rules of the schema comments.
DO $$
DECLARE
    cnt bigint;
    t_start timestamptz := pg_temp.t_start();
    t_end timestamptz := pg_temp.t_end();
BEGIN
    -- (References are checked with outer joins: hash joins at any size.)
    SELECT count(*) INTO cnt FROM generations g
    LEFT JOIN styles s ON s.id = g.style_id
    LEFT JOIN events e ON e.id = g.event_id
    LEFT JOIN b2c_users u ON u.id = g.b2c_user_id
    WHERE NOT EXISTS (SELECT 1 FROM verify_bad b WHERE b.tbl = 'generations' AND b.id = g.id)
      AND (g.status IS NULL OR g.status NOT IN ('completed', 'failed')
           OR g.credits IS NULL OR g.credits < 0 OR (g.status = 'failed' AND g.credits <> 0)
           OR g.latency_ms < 0 OR s.id IS NULL
           OR (g.event_id IS NULL) = (g.b2c_user_id IS NULL)
           OR (g.event_id IS NOT NULL AND e.id IS NULL) OR (g.b2c_user_id IS NOT NULL AND u.id IS NULL)
           OR g.created_at IS NULL OR g.created_at < t_start OR g.created_at >= t_end
           OR g.deleted_at < g.created_at OR g.deleted_at >= t_end);
    IF cnt > 0 THEN
        RAISE EXCEPTION 'verify_demo: % generations not listed as malformed break a rule', cnt;
    END IF;

    SELECT count(*) INTO cnt FROM events e
    LEFT JOIN partners p ON p.id = e.partner_id
    WHERE NOT EXISTS (SELECT 1 FROM verify_bad b WHERE b.tbl = 'events' AND b.id = e.id)
      AND (e.event_type IS NULL OR e.event_type NOT IN ('wedding', 'corporate', 'holiday', 'other')
           OR e.name IS NULL OR e.slug IS NULL OR e.event_date IS NULL
           OR e.event_date < t_start::date OR e.event_date >= pg_temp.day(t_end)
           OR e.credits_allocated IS NULL OR e.credits_allocated < 0
           OR p.id IS NULL);
    IF cnt > 0 THEN
        RAISE EXCEPTION 'verify_demo: % events not listed as malformed break a rule', cnt;
    END IF;
    SELECT count(*) INTO cnt FROM (SELECT partner_id, slug FROM events GROUP BY 1, 2 HAVING count(*) > 1) d;
    IF cnt > 0 THEN
        RAISE EXCEPTION 'verify_demo: % event slugs are not unique per partner', cnt;
    END IF;

    SELECT count(*) INTO cnt FROM credit_transactions c
    LEFT JOIN partners p ON p.id = c.partner_id
    LEFT JOIN b2c_users u ON u.id = c.b2c_user_id
    LEFT JOIN events e ON e.id = c.event_id
    WHERE NOT EXISTS (SELECT 1 FROM verify_bad b WHERE b.tbl = 'credit_transactions' AND b.id = c.id)
      AND (c.kind IS NULL OR c.kind NOT IN ('purchase', 'allocation', 'consumption', 'refund', 'b2c_purchase', 'subscription')
           OR c.credits IS NULL OR c.credits < 0 OR c.amount_usd < 0 OR c.amount_usd <> round(c.amount_usd, 2)
           OR c.created_at IS NULL OR c.created_at < t_start OR c.created_at >= t_end
           OR (c.partner_id IS NOT NULL AND p.id IS NULL)
           OR (c.b2c_user_id IS NOT NULL AND u.id IS NULL)
           OR (c.event_id IS NOT NULL AND e.id IS NULL)
           OR (c.kind IN ('purchase', 'b2c_purchase', 'subscription', 'refund') AND (c.amount_usd IS NULL OR c.amount_usd <= 0))
           OR (c.kind IN ('purchase', 'b2c_purchase')
               AND (c.pack_size IS NULL OR c.credits % c.pack_size <> 0 OR c.credits = 0))
           OR (c.kind = 'purchase' AND c.pack_size NOT IN (100, 500, 1000, 5000))
           OR (c.kind = 'b2c_purchase' AND c.pack_size NOT IN (10, 30, 100, 300)));
    IF cnt > 0 THEN
        RAISE EXCEPTION 'verify_demo: % credit transactions not listed as malformed break a rule', cnt;
    END IF;

    SELECT count(*) INTO cnt FROM activity_log a
    WHERE NOT EXISTS (SELECT 1 FROM verify_bad b WHERE b.tbl = 'activity_log' AND b.id = a.id)
      AND (a.occurred_at IS NULL OR a.occurred_at < t_start OR a.occurred_at >= t_end
           OR a.actor IS NULL OR a.actor_type NOT IN ('admin', 'partner', 'b2c_user', 'system')
           OR a.action NOT IN ('partner_application_submitted', 'partner_approved', 'partner_rejected',
                               'partner_deactivated', 'partner_reactivated', 'partner_contract_changed',
                               'partner_renamed', 'login', 'login_failed', 'logout', 'b2c_signup',
                               'event_created', 'generation_deleted', 'api_key_created', 'credits_purchased',
                               'data_export', 'db_connection_failed'));
    IF cnt > 0 THEN
        RAISE EXCEPTION 'verify_demo: % activity_log rows not listed as malformed break a rule', cnt;
    END IF;

    SELECT count(*) INTO cnt FROM loyalty_transactions t
    LEFT JOIN loyalty_brands lb ON lb.id = t.brand_id
    LEFT JOIN loyalty_perks lp ON lp.id = t.perk_id
    LEFT JOIN loyalty_rewards lr ON lr.id = t.reward_id
    WHERE NOT EXISTS (SELECT 1 FROM verify_bad b WHERE b.tbl = 'loyalty_transactions' AND b.id = t.id)
      AND (t.type NOT IN ('purchase', 'distribution', 'perk_claim', 'sellback')
           OR lb.id IS NULL
           OR t.rsnc_amount IS NULL OR t.rsnc_amount <= 0 OR t.usd_amount < 0
           OR t.created_at IS NULL OR t.created_at < t_start OR t.created_at >= t_end
           OR t.tx_hash IS NULL OR t.tx_hash !~ '^0x[0-9a-f]{64}$'
           OR (t.perk_id IS NOT NULL AND lp.id IS NULL)
           OR (t.reward_id IS NOT NULL AND lr.id IS NULL)
           OR (t.type = 'perk_claim' AND (t.perk_id IS NULL OR t.user_ref IS NULL))
           OR (t.type = 'distribution' AND (t.reward_id IS NULL OR t.user_ref IS NULL))
           OR (t.type IN ('purchase', 'sellback') AND t.usd_amount IS NULL));
    IF cnt > 0 THEN
        RAISE EXCEPTION 'verify_demo: % loyalty transactions not listed as malformed break a rule', cnt;
    END IF;
    SELECT count(*) INTO cnt FROM (SELECT tx_hash FROM loyalty_transactions GROUP BY 1 HAVING count(*) > 1) d;
    IF cnt > 0 THEN
        RAISE EXCEPTION 'verify_demo: % transaction hashes are not unique', cnt;
    END IF;

    SELECT count(*) INTO cnt FROM api_requests a
    WHERE NOT EXISTS (SELECT 1 FROM verify_bad b WHERE b.tbl = 'api_requests' AND b.id = a.id)
      AND (a.method NOT IN ('GET', 'POST', 'PUT', 'PATCH', 'DELETE') OR a.endpoint IS NULL
           OR a.status_code NOT BETWEEN 100 AND 599 OR a.duration_ms < 0
           OR a.requested_at IS NULL OR a.requested_at < t_start OR a.requested_at >= t_end);
    IF cnt > 0 THEN
        RAISE EXCEPTION 'verify_demo: % API requests not listed as malformed break a rule', cnt;
    END IF;

    SELECT count(*) INTO cnt FROM session_steps s
    LEFT JOIN sessions se ON se.id = s.session_id
    WHERE NOT EXISTS (SELECT 1 FROM verify_bad b WHERE b.tbl = 'session_steps' AND b.id = s.id)
      AND (s.step NOT IN ('upload', 'style', 'generate', 'download') OR s.occurred_at IS NULL
           OR se.id IS NULL);
    IF cnt > 0 THEN
        RAISE EXCEPTION 'verify_demo: % session steps not listed as malformed break a rule', cnt;
    END IF;

    SELECT count(*) INTO cnt FROM health_checks h
    WHERE h.component NOT IN ('api', 'database', 'image_provider', 'storage')
       OR h.status NOT IN ('up', 'down') OR h.checked_at IS NULL OR h.checked_at >= t_end
       OR (h.status = 'up' AND (h.response_ms IS NULL OR h.response_ms < 0))
       OR (h.status = 'down' AND h.response_ms IS NOT NULL);
    IF cnt > 0 THEN
        RAISE EXCEPTION 'verify_demo: % health checks break a rule', cnt;
    END IF;
END
$$;

-- JSON payloads of well-formed rows parse as objects: one cast over all of
-- them, so any invalid one raises (the CASE keeps malformed rows out of the
-- cast whatever order the planner picks).
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM activity_log a
               WHERE CASE WHEN EXISTS (SELECT 1 FROM verify_bad b WHERE b.tbl = 'activity_log' AND b.id = a.id) THEN false
                          ELSE jsonb_typeof(a.details::jsonb) IS DISTINCT FROM 'object' END)
       OR EXISTS (SELECT 1 FROM loyalty_transactions t
                  WHERE CASE WHEN EXISTS (SELECT 1 FROM verify_bad b WHERE b.tbl = 'loyalty_transactions' AND b.id = t.id) THEN false
                             ELSE jsonb_typeof(t.metadata::jsonb) IS DISTINCT FROM 'object' END) THEN
        RAISE EXCEPTION 'verify_demo: a well-formed activity_log.details or loyalty_transactions.metadata is not a JSON object';
    END IF;
EXCEPTION
    WHEN invalid_text_representation THEN
        RAISE EXCEPTION 'verify_demo: a well-formed activity_log.details or loyalty_transactions.metadata is not valid JSON (%)', SQLERRM;
END
$$;

-- 3. Partners --------------------------------------------------------------------

-- The latest history row equals the partner; every partner has its creation
-- and approval rows; the reactivated partners and contract changes are there.
DO $$
DECLARE
    cnt bigint;
BEGIN
    SELECT count(*) INTO cnt
    FROM partners p
    LEFT JOIN LATERAL (SELECT h.* FROM partner_status_history h WHERE h.partner_id = p.id
                       ORDER BY h.changed_at DESC, h.id DESC LIMIT 1) h ON true
    WHERE h.id IS NULL OR h.status IS DISTINCT FROM p.status
       OR h.contract_value_usd IS DISTINCT FROM p.contract_value_usd OR h.name IS DISTINCT FROM p.name;
    IF cnt > 0 THEN
        RAISE EXCEPTION 'verify_demo: % partners differ from their latest status history row', cnt;
    END IF;

    SELECT count(*) INTO cnt FROM partners p
    WHERE NOT EXISTS (SELECT 1 FROM partner_status_history h WHERE h.partner_id = p.id AND h.status = 'pending')
       OR NOT EXISTS (SELECT 1 FROM partner_status_history h WHERE h.partner_id = p.id AND h.status = 'approved'
                      AND h.changed_at = p.approved_at)
       OR (p.status = 'deactivated') <> (p.deactivated_at IS NOT NULL);
    IF cnt > 0 THEN
        RAISE EXCEPTION 'verify_demo: % partners lack their creation/approval history or have an inconsistent deactivated_at', cnt;
    END IF;

    -- Reactivated within the same month: history goes deactivated -> approved.
    SELECT count(*) INTO cnt
    FROM almanac_demo.truth t
    WHERE t.kind = 'partner_reactivated'
      AND NOT EXISTS (
          SELECT 1 FROM partner_status_history d
          JOIN partner_status_history a ON a.partner_id = d.partner_id AND a.status = 'approved'
                                       AND a.changed_at = (t.detail ->> 'reactivated_at')::timestamptz
          WHERE d.partner_id = t.subject::bigint AND d.status = 'deactivated'
            AND d.changed_at = (t.detail ->> 'deactivated_at')::timestamptz
            AND pg_temp.month(d.changed_at) = pg_temp.month(a.changed_at));
    IF cnt > 0 OR NOT EXISTS (SELECT 1 FROM almanac_demo.truth WHERE kind = 'partner_reactivated') THEN
        RAISE EXCEPTION 'verify_demo: a partner deactivated and reactivated within one month is missing from the history';
    END IF;

    -- Contract changes in the history are exactly the truth's.
    SELECT count(*) INTO cnt FROM (
        (SELECT h.partner_id, h.changed_at, h.contract_value_usd
         FROM (SELECT h.*, lag(h.contract_value_usd) OVER (PARTITION BY h.partner_id ORDER BY h.changed_at, h.id) AS prev
               FROM partner_status_history h) h
         WHERE h.prev IS DISTINCT FROM h.contract_value_usd AND h.prev IS NOT NULL
         EXCEPT
         SELECT t.subject::bigint, (t.detail ->> 'changed_at')::timestamptz, (t.detail ->> 'new_usd')::numeric
         FROM almanac_demo.truth t WHERE t.kind = 'contract_change')
        UNION ALL
        (SELECT t.subject::bigint, (t.detail ->> 'changed_at')::timestamptz, (t.detail ->> 'new_usd')::numeric
         FROM almanac_demo.truth t WHERE t.kind = 'contract_change'
         EXCEPT
         SELECT h.partner_id, h.changed_at, h.contract_value_usd
         FROM (SELECT h.*, lag(h.contract_value_usd) OVER (PARTITION BY h.partner_id ORDER BY h.changed_at, h.id) AS prev
               FROM partner_status_history h) h
         WHERE h.prev IS DISTINCT FROM h.contract_value_usd AND h.prev IS NOT NULL)
    ) d;
    IF cnt > 0 OR NOT EXISTS (SELECT 1 FROM almanac_demo.truth WHERE kind = 'contract_change') THEN
        RAISE EXCEPTION 'verify_demo: contract value changes in partner_status_history differ from the truth (% differences)', cnt;
    END IF;
END
$$;

-- Growth and churn per month, from the history.
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN
        WITH months AS (
            SELECT to_char(m, 'YYYY-MM') AS label,
                   m::timestamp AT TIME ZONE 'UTC' AS ms,
                   (m + interval '1 month')::timestamp AT TIME ZONE 'UTC' AS me
            FROM generate_series(pg_temp.param('history_start')::date::timestamp,
                                 pg_temp.param('history_end')::date::timestamp, interval '1 month') AS m
        ), hist AS (
            SELECT h.*, lag(h.status) OVER (PARTITION BY h.partner_id ORDER BY h.changed_at, h.id) AS prev_status
            FROM partner_status_history h
        ), spans AS (
            -- Each history row holds until the partner's next one.
            SELECT h.partner_id, h.status, h.changed_at,
                   lead(h.changed_at) OVER (PARTITION BY h.partner_id ORDER BY h.changed_at, h.id) AS next_at
            FROM partner_status_history h
        ), got AS (
            SELECT mo.label,
                   (SELECT count(*) FROM partners p WHERE p.approved_at >= mo.ms AND p.approved_at < mo.me) AS approved,
                   (SELECT count(*) FROM hist h WHERE h.status = 'deactivated'
                      AND h.changed_at >= mo.ms AND h.changed_at < mo.me) AS deactivated,
                   (SELECT count(*) FROM hist h WHERE h.status = 'approved' AND h.prev_status = 'deactivated'
                      AND h.changed_at >= mo.ms AND h.changed_at < mo.me) AS reactivated,
                   (SELECT count(*) FROM spans sp
                    WHERE sp.status = 'approved' AND sp.changed_at < mo.me
                      AND (sp.next_at IS NULL OR sp.next_at >= mo.me)) AS active_end
            FROM months mo
        )
        SELECT g.*, t.detail
        FROM got g
        FULL JOIN (SELECT * FROM almanac_demo.truth WHERE kind = 'partner_growth') t ON t.subject = g.label
    LOOP
        IF r.detail IS NULL OR r.label IS NULL
           OR (r.detail ->> 'approved')::bigint <> r.approved
           OR (r.detail ->> 'deactivated')::bigint <> r.deactivated
           OR (r.detail ->> 'reactivated')::bigint <> r.reactivated
           OR (r.detail ->> 'active_end')::bigint <> r.active_end THEN
            RAISE EXCEPTION 'verify_demo: partner growth for % differs: data approved %, deactivated %, reactivated %, active %; truth %',
                r.label, r.approved, r.deactivated, r.reactivated, r.active_end, r.detail;
        END IF;
    END LOOP;
    IF (SELECT sum((detail ->> 'deactivated')::int) FROM almanac_demo.truth WHERE kind = 'partner_growth') < 2
       OR (SELECT count(*) FROM partners WHERE status = 'deactivated') < 1 THEN
        RAISE EXCEPTION 'verify_demo: no partner churn planted';
    END IF;
END
$$;

-- Pending applications, with their age.
DO $$
DECLARE
    cnt bigint;
BEGIN
    SELECT count(*) INTO cnt FROM (
        (SELECT id, submitted_at FROM partner_applications WHERE status = 'pending'
         EXCEPT
         SELECT subject::bigint, (detail ->> 'submitted_at')::timestamptz FROM almanac_demo.truth
         WHERE kind = 'pending_application')
        UNION ALL
        (SELECT subject::bigint, (detail ->> 'submitted_at')::timestamptz FROM almanac_demo.truth
         WHERE kind = 'pending_application'
         EXCEPT
         SELECT id, submitted_at FROM partner_applications WHERE status = 'pending')) d;
    IF cnt > 0 THEN
        RAISE EXCEPTION 'verify_demo: pending applications differ from the truth (% differences)', cnt;
    END IF;
    IF EXISTS (SELECT 1 FROM almanac_demo.truth t WHERE t.kind = 'pending_application'
               AND (t.detail ->> 'age_minutes_at_history_end')::numeric
                   <> round(extract(epoch FROM pg_temp.t_end() - (t.detail ->> 'submitted_at')::timestamptz) / 60))
       OR EXISTS (SELECT 1 FROM partner_applications
                  WHERE (status = 'pending') <> (decided_at IS NULL)
                     OR (status = 'approved') <> (partner_id IS NOT NULL)) THEN
        RAISE EXCEPTION 'verify_demo: pending application ages or decisions are inconsistent';
    END IF;
END
$$;

-- 4. Credits -----------------------------------------------------------------------

-- Allocation and consumption rows per event; consumption per B2C user and day.
DO $$
DECLARE
    cnt bigint;
BEGIN
    WITH ev AS (
        SELECT e.* FROM events e WHERE NOT EXISTS (SELECT 1 FROM verify_bad b WHERE b.tbl = 'events' AND b.id = e.id)
    ), ct AS (
        SELECT c.* FROM credit_transactions c WHERE NOT EXISTS (SELECT 1 FROM verify_bad b WHERE b.tbl = 'credit_transactions' AND b.id = c.id)
    ), alloc AS (
        SELECT event_id, count(*) AS n, sum(credits) AS credits, min(partner_id) AS partner_id
        FROM ct WHERE kind = 'allocation' GROUP BY event_id
    )
    SELECT count(*) INTO cnt
    FROM ev FULL JOIN alloc a ON a.event_id = ev.id
    WHERE ev.id IS NULL OR a.event_id IS NULL OR a.n <> 1 OR a.credits <> ev.credits_allocated
       OR a.partner_id <> ev.partner_id;
    IF cnt > 0 THEN
        RAISE EXCEPTION 'verify_demo: % events without exactly one allocation row equal to credits_allocated', cnt;
    END IF;

    WITH ev AS (
        SELECT e.* FROM events e WHERE NOT EXISTS (SELECT 1 FROM verify_bad b WHERE b.tbl = 'events' AND b.id = e.id)
    ), used AS (
        SELECT g.event_id, sum(g.credits) FILTER (WHERE g.status = 'completed') AS credits, count(*) AS n,
               count(*) FILTER (WHERE pg_temp.day(g.created_at) <> e.event_date) AS off_day
        FROM generations g
        JOIN ev e ON e.id = g.event_id
        WHERE NOT EXISTS (SELECT 1 FROM verify_bad b WHERE b.tbl = 'generations' AND b.id = g.id)
        GROUP BY g.event_id
    ), cons AS (
        SELECT event_id, count(*) AS n, sum(credits) AS credits, min(pg_temp.day(created_at)) AS day,
               min(partner_id) AS partner_id
        FROM credit_transactions c
        WHERE NOT EXISTS (SELECT 1 FROM verify_bad b WHERE b.tbl = 'credit_transactions' AND b.id = c.id) AND c.kind = 'consumption'
          AND c.event_id IS NOT NULL
        GROUP BY event_id
    )
    SELECT count(*) INTO cnt
    FROM ev
    FULL JOIN used u ON u.event_id = ev.id
    FULL JOIN cons c ON c.event_id = coalesce(ev.id, u.event_id)
    WHERE ev.id IS NULL OR u.event_id IS NULL OR c.event_id IS NULL OR c.n <> 1
       OR c.credits <> coalesce(u.credits, 0) OR c.day <> ev.event_date OR c.partner_id <> ev.partner_id
       OR u.off_day > 0 OR ev.credits_allocated < c.credits;
    IF cnt > 0 THEN
        RAISE EXCEPTION 'verify_demo: % events whose consumption row, generations or date disagree', cnt;
    END IF;

    WITH used AS (
        SELECT b2c_user_id, pg_temp.day(created_at) AS day,
               coalesce(sum(credits) FILTER (WHERE status = 'completed'), 0) AS credits
        FROM generations g
        WHERE NOT EXISTS (SELECT 1 FROM verify_bad b WHERE b.tbl = 'generations' AND b.id = g.id) AND g.b2c_user_id IS NOT NULL
        GROUP BY 1, 2
    ), cons AS (
        SELECT b2c_user_id, pg_temp.day(created_at) AS day, count(*) AS n, sum(credits) AS credits
        FROM credit_transactions c
        WHERE NOT EXISTS (SELECT 1 FROM verify_bad b WHERE b.tbl = 'credit_transactions' AND b.id = c.id) AND c.kind = 'consumption'
          AND c.b2c_user_id IS NOT NULL
        GROUP BY 1, 2
    )
    SELECT count(*) INTO cnt
    FROM used u FULL JOIN cons c ON c.b2c_user_id = u.b2c_user_id AND c.day = u.day
    WHERE u.day IS NULL OR c.day IS NULL OR c.n <> 1 OR c.credits <> u.credits;
    IF cnt > 0 THEN
        RAISE EXCEPTION 'verify_demo: % B2C user-days whose consumption row disagrees with their generations', cnt;
    END IF;
END
$$;

-- Credits are bought before they are used: no running balance goes below 0;
-- nobody moves credits before they signed up or were approved.
DO $$
DECLARE
    cnt bigint;
BEGIN
    SELECT count(*) INTO cnt
    FROM credit_transactions c
    LEFT JOIN partners p ON p.id = c.partner_id
    LEFT JOIN b2c_users u ON u.id = c.b2c_user_id
    WHERE NOT EXISTS (SELECT 1 FROM verify_bad b WHERE b.tbl = 'credit_transactions' AND b.id = c.id)
      AND (c.created_at < p.approved_at OR c.created_at < u.created_at);
    IF cnt > 0 THEN
        RAISE EXCEPTION 'verify_demo: % credit transactions before their partner''s approval or user''s signup', cnt;
    END IF;

    SELECT count(*) INTO cnt FROM (
        SELECT partner_id,
               sum(CASE kind WHEN 'purchase' THEN credits WHEN 'allocation' THEN -credits ELSE 0 END)
                   OVER w AS unallocated,
               sum(CASE kind WHEN 'purchase' THEN credits WHEN 'consumption' THEN -credits
                             WHEN 'refund' THEN -credits ELSE 0 END) OVER w AS remaining
        FROM credit_transactions c
        WHERE NOT EXISTS (SELECT 1 FROM verify_bad b WHERE b.tbl = 'credit_transactions' AND b.id = c.id) AND c.partner_id IS NOT NULL
        WINDOW w AS (PARTITION BY partner_id ORDER BY created_at, id)
    ) x
    WHERE unallocated < 0 OR remaining < 0;
    IF cnt > 0 THEN
        RAISE EXCEPTION 'verify_demo: % partner transactions leave a negative balance (credits used or allocated before bought)', cnt;
    END IF;

    SELECT count(*) INTO cnt FROM (
        SELECT sum(CASE WHEN kind IN ('b2c_purchase', 'subscription') THEN credits ELSE -credits END)
                   OVER (PARTITION BY b2c_user_id ORDER BY created_at, id) AS balance
        FROM credit_transactions c
        WHERE NOT EXISTS (SELECT 1 FROM verify_bad b WHERE b.tbl = 'credit_transactions' AND b.id = c.id) AND c.b2c_user_id IS NOT NULL
    ) x
    WHERE balance < 0;
    IF cnt > 0 THEN
        RAISE EXCEPTION 'verify_demo: % B2C transactions leave a negative balance', cnt;
    END IF;
END
$$;

-- Segments at the end of history (KPIS.md): e = events in the last 90 days /
-- 3, u = credits used / bought x 100. The truth's partners are the approved
-- ones, each clearly inside its segment.
DO $$
DECLARE
    r record;
    cnt bigint;
BEGIN
    FOR r IN
        WITH ev AS (
            SELECT partner_id, count(*) FILTER (WHERE event_date >= pg_temp.day(pg_temp.t_end()) - 90) AS e90,
                   max(event_date) AS last_event
            FROM events WHERE NOT EXISTS (SELECT 1 FROM verify_bad b WHERE b.tbl = 'events' AND b.id = events.id)
            GROUP BY partner_id
        ), cr AS (
            SELECT partner_id, sum(credits) FILTER (WHERE kind = 'consumption') AS used,
                   sum(credits) FILTER (WHERE kind = 'purchase') AS bought
            FROM credit_transactions WHERE NOT EXISTS (SELECT 1 FROM verify_bad b WHERE b.tbl = 'credit_transactions' AND b.id = credit_transactions.id)
            GROUP BY partner_id
        ), seg AS (
            SELECT p.id, coalesce(ev.e90, 0) / 3.0 AS e, 100.0 * cr.used / nullif(cr.bought, 0) AS u,
                   ev.last_event,
                   CASE WHEN coalesce(ev.e90, 0) = 0 THEN 'dormant'
                        WHEN ev.e90 / 3.0 >= 10 AND 100.0 * cr.used / nullif(cr.bought, 0) >= 80 THEN 'power'
                        WHEN ev.e90 / 3.0 >= 3 AND 100.0 * cr.used / nullif(cr.bought, 0) >= 50 THEN 'active'
                        ELSE 'occasional' END AS segment
            FROM partners p
            LEFT JOIN ev ON ev.partner_id = p.id
            LEFT JOIN cr ON cr.partner_id = p.id
            WHERE p.status = 'approved'
        )
        SELECT s.*, t.detail ->> 'segment' AS planted, t.subject
        FROM seg s FULL JOIN (SELECT * FROM almanac_demo.truth WHERE kind = 'partner_segment') t ON t.subject = s.id::text
    LOOP
        IF r.id IS NULL OR r.subject IS NULL OR r.segment <> r.planted THEN
            RAISE EXCEPTION 'verify_demo: partner % is % by the rule (e %, u %) but planted as %',
                coalesce(r.id::text, r.subject), r.segment, round(r.e, 2), round(r.u, 1), r.planted;
        END IF;
        IF (r.segment = 'power' AND (r.e < 11 OR r.u < 81))
           OR (r.segment = 'active' AND (r.e < 3.5 OR r.e > 9 OR r.u < 52))
           OR (r.segment = 'occasional' AND r.e > 2)
           OR (r.segment = 'dormant' AND r.last_event >= pg_temp.day(pg_temp.t_end()) - 120) THEN
            RAISE EXCEPTION 'verify_demo: partner % is % but close to a boundary (e %, u %, last event %)',
                r.id, r.segment, round(r.e, 2), round(r.u, 1), r.last_event;
        END IF;
    END LOOP;
    -- Every segment is populated, in roughly the planned shares.
    FOR r IN
        SELECT s.segment, s.share, count(t.*) AS n, (SELECT count(*) FROM almanac_demo.truth WHERE kind = 'partner_segment') AS total
        FROM (VALUES ('power', 0.10), ('active', 0.30), ('occasional', 0.40), ('dormant', 0.20)) AS s(segment, share)
        LEFT JOIN almanac_demo.truth t ON t.kind = 'partner_segment' AND t.detail ->> 'segment' = s.segment
        GROUP BY s.segment, s.share
    LOOP
        IF r.n = 0 OR abs(r.n::numeric / r.total - r.share) > 0.03 THEN
            RAISE EXCEPTION 'verify_demo: segment % has % of % partners, planned share %', r.segment, r.n, r.total, r.share;
        END IF;
    END LOOP;
END
$$;

-- Low remaining credit (< 10 % of bought) is exactly the truth's partners;
-- the others keep clearly more.
DO $$
DECLARE
    cnt bigint;
BEGIN
    WITH cr AS (
        SELECT partner_id,
               coalesce(sum(credits) FILTER (WHERE kind = 'purchase'), 0) AS bought,
               coalesce(sum(credits) FILTER (WHERE kind = 'consumption'), 0) AS used,
               coalesce(sum(credits) FILTER (WHERE kind = 'refund'), 0) AS refunded
        FROM credit_transactions
        WHERE NOT EXISTS (SELECT 1 FROM verify_bad b WHERE b.tbl = 'credit_transactions' AND b.id = credit_transactions.id) AND partner_id IS NOT NULL
        GROUP BY partner_id
    ), x AS (
        SELECT partner_id, bought - used - refunded AS remaining, (bought - used - refunded)::numeric / bought AS rem
        FROM cr WHERE bought > 0
    )
    SELECT count(*) INTO cnt
    FROM x FULL JOIN (SELECT * FROM almanac_demo.truth WHERE kind = 'low_credit_partner') t ON t.subject = x.partner_id::text
    WHERE x.partner_id IS NULL
       OR (x.rem < 0.10) <> (t.subject IS NOT NULL)
       OR (t.subject IS NULL AND x.rem < 0.11)
       OR (t.subject IS NOT NULL AND (t.detail ->> 'remaining')::numeric <> x.remaining);
    IF cnt > 0 THEN
        RAISE EXCEPTION 'verify_demo: low-credit partners differ from the truth, or a partner is near the 10 %% line (% cases)', cnt;
    END IF;
END
$$;

-- Purchases over 500 USD are exactly the truth's.
DO $$
DECLARE
    cnt bigint;
BEGIN
    SELECT count(*) INTO cnt FROM (
        (SELECT id::text FROM credit_transactions
         WHERE kind IN ('purchase', 'b2c_purchase') AND amount_usd > 500
           AND NOT EXISTS (SELECT 1 FROM verify_bad b WHERE b.tbl = 'credit_transactions' AND b.id = credit_transactions.id)
         EXCEPT SELECT subject FROM almanac_demo.truth WHERE kind = 'high_value_purchase')
        UNION ALL
        (SELECT subject FROM almanac_demo.truth WHERE kind = 'high_value_purchase'
         EXCEPT
         SELECT id::text FROM credit_transactions
         WHERE kind IN ('purchase', 'b2c_purchase') AND amount_usd > 500
           AND NOT EXISTS (SELECT 1 FROM verify_bad b WHERE b.tbl = 'credit_transactions' AND b.id = credit_transactions.id))) d;
    IF cnt > 0 THEN
        RAISE EXCEPTION 'verify_demo: purchases over 500 USD differ from the truth (% differences)', cnt;
    END IF;
END
$$;

-- 5. Events and generations ---------------------------------------------------------

-- Seasonality: each type's peak months have clearly more events than its
-- low months; at scale >= 0.5 a classical multiplicative decomposition
-- (centred 2x12 moving average) recovers every factor within 5 %.
DO $$
DECLARE
    r record;
BEGIN
    CREATE TEMP TABLE verify_series ON COMMIT DROP AS
    WITH counts AS (
        SELECT event_type, date_trunc('month', event_date)::date AS ms, count(*) AS x
        FROM events
        WHERE NOT EXISTS (SELECT 1 FROM verify_bad b WHERE b.tbl = 'events' AND b.id = events.id) AND event_date IS NOT NULL
        GROUP BY 1, 2
    ), months AS (
        SELECT i, (pg_temp.param('history_start')::date + make_interval(months => i))::date AS ms
        FROM generate_series(0, 35) AS i
    )
    SELECT ty.event_type, mo.i, extract(month FROM mo.ms)::int AS moy, coalesce(c.x, 0)::numeric AS x
    FROM months mo
    CROSS JOIN (VALUES ('wedding'), ('corporate'), ('holiday'), ('other')) AS ty(event_type)
    LEFT JOIN counts c ON c.event_type = ty.event_type AND c.ms = mo.ms;

    -- The realised series is the truth's, month by month.
    FOR r IN
        SELECT coalesce(s.event_type, t.detail ->> 'event_type') AS event_type,
               coalesce(to_char(pg_temp.param('history_start')::date + make_interval(months => s.i), 'YYYY-MM'),
                        t.detail ->> 'month') AS month,
               s.x, (t.detail ->> 'events')::numeric AS planted
        FROM (SELECT * FROM verify_series WHERE x > 0) s
        FULL JOIN (SELECT * FROM almanac_demo.truth WHERE kind = 'seasonal_count') t
               ON t.detail ->> 'event_type' = s.event_type
              AND t.detail ->> 'month' = to_char(pg_temp.param('history_start')::date + make_interval(months => s.i), 'YYYY-MM')
        WHERE s.x IS DISTINCT FROM (t.detail ->> 'events')::numeric
    LOOP
        RAISE EXCEPTION 'verify_demo: % events in % are % in the data but % in the truth',
            r.event_type, r.month, r.x, r.planted;
    END LOOP;

    FOR r IN
        SELECT s.event_type,
               avg(s.x) FILTER (WHERE (t.detail ->> 'factor')::numeric >= 1.1) AS peak,
               avg(s.x) FILTER (WHERE (t.detail ->> 'factor')::numeric <= 0.9) AS low
        FROM verify_series s
        JOIN almanac_demo.truth t ON t.kind = 'seasonal_factor' AND t.subject = s.event_type
                                 AND (t.detail ->> 'month')::int = s.moy
        GROUP BY s.event_type
    LOOP
        IF r.peak IS NOT NULL AND r.low IS NOT NULL AND r.peak < 1.2 * r.low THEN
            RAISE EXCEPTION 'verify_demo: % events average % a month in peak months and % in low months',
                r.event_type, round(r.peak, 1), round(r.low, 1);
        END IF;
    END LOOP;

    IF pg_temp.param('scale')::numeric >= 0.5 THEN
        FOR r IN
            WITH ma AS (
                SELECT s.*,
                       (sum(x) OVER w - 0.5 * (lag(x, 6) OVER o + lead(x, 6) OVER o)) / 12 AS trend
                FROM verify_series s
                WINDOW w AS (PARTITION BY event_type ORDER BY i ROWS BETWEEN 6 PRECEDING AND 6 FOLLOWING),
                       o AS (PARTITION BY event_type ORDER BY i)
            ), idx AS (
                SELECT event_type, moy, avg(x / trend) AS raw
                FROM ma WHERE i BETWEEN 6 AND 29
                GROUP BY event_type, moy
            ), norm AS (
                SELECT event_type, moy, raw / avg(raw) OVER (PARTITION BY event_type) AS idx
                FROM idx
            )
            SELECT nm.*, (t.detail ->> 'factor')::numeric AS factor
            FROM norm nm
            JOIN almanac_demo.truth t ON t.kind = 'seasonal_factor' AND t.subject = nm.event_type
                                     AND (t.detail ->> 'month')::int = nm.moy
        LOOP
            IF abs(r.idx / r.factor - 1) > 0.05 THEN
                RAISE EXCEPTION 'verify_demo: % seasonal index for month % is % but the planted factor is %',
                    r.event_type, r.moy, round(r.idx, 3), r.factor;
            END IF;
        END LOOP;
    END IF;
    DROP TABLE verify_series;
END
$$;

-- The poor-quality style: >= 50 generations and a deletion rate >= 3x the
-- platform's; no other style reaches 2x. The retired style and one active
-- style have no generation in the last 90 days.
DO $$
DECLARE
    r record;
    platform numeric;
BEGIN
    CREATE TEMP TABLE verify_styles ON COMMIT DROP AS
    SELECT g.style_id, count(*) AS n, count(g.deleted_at) AS d, max(g.created_at) AS last_used
    FROM generations g
    WHERE NOT EXISTS (SELECT 1 FROM verify_bad b WHERE b.tbl = 'generations' AND b.id = g.id)
    GROUP BY g.style_id;

    SELECT sum(d)::numeric / sum(n) INTO platform FROM verify_styles;
    FOR r IN
        SELECT v.style_id, v.n, v.d::numeric / v.n AS rate,
               EXISTS (SELECT 1 FROM almanac_demo.truth t
                       WHERE t.kind = 'poor_quality_style' AND t.subject = v.style_id::text) AS planted
        FROM verify_styles v
    LOOP
        IF r.planted AND (r.n < 50 OR r.rate < 3 * platform) THEN
            RAISE EXCEPTION 'verify_demo: style % planted as poor quality has % generations and deletion rate % (platform %)',
                r.style_id, r.n, round(100 * r.rate, 2), round(100 * platform, 2);
        END IF;
        IF NOT r.planted AND r.n >= 50 AND r.rate >= 2 * platform THEN
            RAISE EXCEPTION 'verify_demo: style % has deletion rate % %% (platform % %%) but is not planted',
                r.style_id, round(100 * r.rate, 2), round(100 * platform, 2);
        END IF;
    END LOOP;
    IF NOT EXISTS (SELECT 1 FROM almanac_demo.truth t JOIN verify_styles v ON v.style_id::text = t.subject
                   WHERE t.kind = 'poor_quality_style') THEN
        RAISE EXCEPTION 'verify_demo: the poor-quality style has no generations';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM styles s LEFT JOIN verify_styles v ON v.style_id = s.id
                   WHERE NOT s.active AND (v.last_used IS NULL OR v.last_used < pg_temp.t_end() - interval '90 days'))
       OR NOT EXISTS (SELECT 1 FROM styles s LEFT JOIN verify_styles v ON v.style_id = s.id
                      WHERE s.active AND (v.last_used IS NULL OR v.last_used < pg_temp.t_end() - interval '90 days')) THEN
        RAISE EXCEPTION 'verify_demo: expected a retired style and an active style unused for 90 days';
    END IF;
    DROP TABLE verify_styles;
END
$$;

-- 6. Health and API ------------------------------------------------------------------

-- Runs of consecutive down checks per component: runs of >= 2 are the
-- truth's outages, single ones its isolated checks; the latest check of
-- every component is up and fast (pulse green).
DO $$
DECLARE
    cnt bigint;
BEGIN
    CREATE TEMP TABLE verify_runs ON COMMIT DROP AS
    WITH h AS (
        SELECT component, checked_at, status,
               row_number() OVER (PARTITION BY component ORDER BY checked_at)
               - row_number() OVER (PARTITION BY component, status ORDER BY checked_at) AS grp
        FROM health_checks
    )
    SELECT component, min(checked_at) AS start_at, count(*) AS n,
           (SELECT min(h2.checked_at) FROM health_checks h2
            WHERE h2.component = h.component AND h2.checked_at > max(h.checked_at) AND h2.status = 'up') AS end_at
    FROM h WHERE status = 'down'
    GROUP BY component, grp;

    SELECT count(*) INTO cnt FROM (
        (SELECT component, start_at, end_at, n, extract(epoch FROM end_at - start_at) / 60 AS minutes
         FROM verify_runs WHERE n >= 2
         EXCEPT
         SELECT subject, (detail ->> 'start')::timestamptz, (detail ->> 'end')::timestamptz,
                (detail ->> 'checks_down')::bigint, (detail ->> 'minutes')::numeric
         FROM almanac_demo.truth WHERE kind = 'outage')
        UNION ALL
        (SELECT subject, (detail ->> 'start')::timestamptz, (detail ->> 'end')::timestamptz,
                (detail ->> 'checks_down')::bigint, (detail ->> 'minutes')::numeric
         FROM almanac_demo.truth WHERE kind = 'outage'
         EXCEPT
         SELECT component, start_at, end_at, n, extract(epoch FROM end_at - start_at) / 60
         FROM verify_runs WHERE n >= 2)) d;
    IF cnt > 0 THEN
        RAISE EXCEPTION 'verify_demo: outages in health_checks differ from the truth (% differences)', cnt;
    END IF;
    SELECT count(*) INTO cnt FROM (
        (SELECT component, start_at FROM verify_runs WHERE n = 1
         EXCEPT SELECT subject, (detail ->> 'checked_at')::timestamptz FROM almanac_demo.truth WHERE kind = 'isolated_down_check')
        UNION ALL
        (SELECT subject, (detail ->> 'checked_at')::timestamptz FROM almanac_demo.truth WHERE kind = 'isolated_down_check'
         EXCEPT SELECT component, start_at FROM verify_runs WHERE n = 1)) d;
    IF cnt > 0 THEN
        RAISE EXCEPTION 'verify_demo: isolated down checks differ from the truth (% differences)', cnt;
    END IF;
    FOR cnt IN SELECT 1 FROM (VALUES ('api'), ('image_provider')) AS c(component)
             WHERE NOT EXISTS (SELECT 1 FROM verify_runs r WHERE r.component = c.component AND r.n >= 2
                               AND r.start_at >= pg_temp.t_end() - interval '1 month')
    LOOP
        RAISE EXCEPTION 'verify_demo: expected an api and an image_provider outage in the last month';
    END LOOP;
    DROP TABLE verify_runs;

    SELECT count(*) INTO cnt
    FROM (SELECT DISTINCT ON (component) component, status, response_ms
          FROM health_checks ORDER BY component, checked_at DESC) l
    WHERE l.status <> 'up' OR l.response_ms > 5000;
    IF cnt > 0 OR (SELECT count(DISTINCT component) FROM health_checks) <> 4
       OR (SELECT detail ->> 'status' FROM almanac_demo.truth WHERE kind = 'system_pulse') <> 'green' THEN
        RAISE EXCEPTION 'verify_demo: the latest health checks do not give the green pulse the truth records';
    END IF;
END
$$;

-- 5-minute buckets with >= 20 requests and > 5 % server errors are exactly
-- the truth's spikes; every other such bucket stays at 2.5 % or less.
DO $$
DECLARE
    cnt bigint;
    worst numeric;
BEGIN
    CREATE TEMP TABLE verify_buckets ON COMMIT DROP AS
    SELECT to_timestamp(floor(extract(epoch FROM requested_at) / 300) * 300) AS bucket_start,
           count(*) AS requests, count(*) FILTER (WHERE status_code >= 500) AS errors
    FROM api_requests
    WHERE NOT EXISTS (SELECT 1 FROM verify_bad b WHERE b.tbl = 'api_requests' AND b.id = api_requests.id)
    GROUP BY 1
    HAVING count(*) >= 20;

    SELECT count(*) INTO cnt FROM (
        (SELECT bucket_start, requests, errors FROM verify_buckets WHERE errors > 0.05 * requests
         EXCEPT
         SELECT (detail ->> 'bucket_start')::timestamptz, (detail ->> 'requests')::bigint, (detail ->> 'errors')::bigint
         FROM almanac_demo.truth WHERE kind = 'error_spike')
        UNION ALL
        (SELECT (detail ->> 'bucket_start')::timestamptz, (detail ->> 'requests')::bigint, (detail ->> 'errors')::bigint
         FROM almanac_demo.truth WHERE kind = 'error_spike'
         EXCEPT
         SELECT bucket_start, requests, errors FROM verify_buckets WHERE errors > 0.05 * requests)) d;
    SELECT max(errors::numeric / requests) INTO worst FROM verify_buckets WHERE errors <= 0.05 * requests;
    DROP TABLE verify_buckets;
    IF cnt > 0 THEN
        RAISE EXCEPTION 'verify_demo: 5-minute error spikes differ from the truth (% differences)', cnt;
    END IF;
    IF worst > 0.025 THEN
        RAISE EXCEPTION 'verify_demo: a normal 5-minute bucket reaches % %% server errors, too close to the alert line', round(100 * worst, 2);
    END IF;
END
$$;

-- >= 10 requests answered 401/403 for one key or one address within an
-- hour: exactly the truth's bursts.
DO $$
DECLARE
    cnt bigint;
BEGIN
    WITH u AS (
        SELECT * FROM api_requests
        WHERE status_code IN (401, 403) AND NOT EXISTS (SELECT 1 FROM verify_bad b WHERE b.tbl = 'api_requests' AND b.id = api_requests.id)
    ), by_key AS (
        SELECT 'key:' || api_key AS subject,
               count(*) OVER (PARTITION BY api_key ORDER BY requested_at
                              RANGE BETWEEN CURRENT ROW AND '59 minutes 59.999 seconds' FOLLOWING) AS n
        FROM u WHERE api_key IS NOT NULL
    ), by_ip AS (
        SELECT 'ip:' || client_ip AS subject,
               count(*) OVER (PARTITION BY client_ip ORDER BY requested_at
                              RANGE BETWEEN CURRENT ROW AND '59 minutes 59.999 seconds' FOLLOWING) AS n
        FROM u
    ), found AS (
        SELECT DISTINCT subject FROM (SELECT * FROM by_key UNION ALL SELECT * FROM by_ip) x WHERE n >= 10
    )
    SELECT count(*) INTO cnt FROM (
        (SELECT subject FROM found EXCEPT SELECT subject FROM almanac_demo.truth WHERE kind = 'unauthorized_api')
        UNION ALL
        (SELECT subject FROM almanac_demo.truth WHERE kind = 'unauthorized_api' EXCEPT SELECT subject FROM found)) d;
    IF cnt > 0 THEN
        RAISE EXCEPTION 'verify_demo: unauthorized API bursts differ from the truth (% differences)', cnt;
    END IF;
    IF EXISTS (
        SELECT 1 FROM almanac_demo.truth t
        WHERE t.kind = 'unauthorized_api'
          AND (SELECT count(*) FROM api_requests a
               WHERE a.status_code IN (401, 403)
                 AND a.requested_at BETWEEN (t.detail ->> 'start')::timestamptz AND (t.detail ->> 'end')::timestamptz
                 AND (a.api_key = t.detail ->> 'api_key' OR (t.detail ->> 'by' = 'ip' AND a.client_ip = t.detail ->> 'ip')))
              < (t.detail ->> 'count')::int) THEN
        RAISE EXCEPTION 'verify_demo: an unauthorized burst has fewer requests in its window than the truth says';
    END IF;
END
$$;

-- 7. Activity log ------------------------------------------------------------------------

-- >= 5 failed logins for one account or one address within 15 minutes:
-- exactly the truth's bursts.
DO $$
DECLARE
    cnt bigint;
BEGIN
    WITH f AS (
        SELECT * FROM activity_log
        WHERE action = 'login_failed' AND NOT EXISTS (SELECT 1 FROM verify_bad b WHERE b.tbl = 'activity_log' AND b.id = activity_log.id)
    ), w AS (
        SELECT 'account:' || actor AS subject,
               count(*) OVER (PARTITION BY actor ORDER BY occurred_at
                              RANGE BETWEEN CURRENT ROW AND '14 minutes 59.999 seconds' FOLLOWING) AS n
        FROM f
        UNION ALL
        SELECT 'ip:' || ip,
               count(*) OVER (PARTITION BY ip ORDER BY occurred_at
                              RANGE BETWEEN CURRENT ROW AND '14 minutes 59.999 seconds' FOLLOWING)
        FROM f
    ), found AS (
        SELECT DISTINCT subject FROM w WHERE n >= 5
    )
    SELECT count(*) INTO cnt FROM (
        (SELECT subject FROM found EXCEPT SELECT subject FROM almanac_demo.truth WHERE kind = 'failed_login_burst')
        UNION ALL
        (SELECT subject FROM almanac_demo.truth WHERE kind = 'failed_login_burst' EXCEPT SELECT subject FROM found)) d;
    IF cnt > 0 THEN
        RAISE EXCEPTION 'verify_demo: failed-login bursts differ from the truth (% differences)', cnt;
    END IF;
    IF (SELECT count(DISTINCT detail ->> 'by') FROM almanac_demo.truth WHERE kind = 'failed_login_burst') < 2 THEN
        RAISE EXCEPTION 'verify_demo: expected a failed-login burst per account and one per address';
    END IF;
END
$$;

-- >= 100 deletions by one actor within an hour: exactly the truth's, and
-- they are real deletions of that partner's generations.
DO $$
DECLARE
    cnt bigint;
BEGIN
    WITH d AS (
        SELECT actor,
               count(*) OVER (PARTITION BY actor ORDER BY occurred_at
                              RANGE BETWEEN CURRENT ROW AND '59 minutes 59.999 seconds' FOLLOWING) AS n
        FROM activity_log
        WHERE action = 'generation_deleted' AND NOT EXISTS (SELECT 1 FROM verify_bad b WHERE b.tbl = 'activity_log' AND b.id = activity_log.id)
    ), found AS (
        SELECT DISTINCT actor FROM d WHERE n >= 100
    )
    SELECT count(*) INTO cnt FROM (
        (SELECT actor FROM found EXCEPT SELECT subject FROM almanac_demo.truth WHERE kind = 'bulk_deletion')
        UNION ALL
        (SELECT subject FROM almanac_demo.truth WHERE kind = 'bulk_deletion' EXCEPT SELECT actor FROM found)) x;
    IF cnt > 0 THEN
        RAISE EXCEPTION 'verify_demo: bulk deletions differ from the truth (% differences)', cnt;
    END IF;
    IF EXISTS (
        SELECT 1 FROM almanac_demo.truth t
        WHERE t.kind = 'bulk_deletion'
          AND ((SELECT count(*) FROM generations g JOIN events e ON e.id = g.event_id
                WHERE e.partner_id = (t.detail ->> 'partner_id')::bigint
                  AND g.deleted_at BETWEEN (t.detail ->> 'start')::timestamptz AND (t.detail ->> 'end')::timestamptz)
               <> (t.detail ->> 'count')::int
               OR (t.detail ->> 'count')::int < 100
               OR (t.detail ->> 'end')::timestamptz - (t.detail ->> 'start')::timestamptz >= interval '1 hour')) THEN
        RAISE EXCEPTION 'verify_demo: the bulk deletion does not match the deleted generations';
    END IF;
    -- Every deleted generation is logged once, at its deletion time.
    SELECT count(*) INTO cnt
    FROM (SELECT id, deleted_at FROM generations
          WHERE deleted_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM verify_bad b WHERE b.tbl = 'generations' AND b.id = generations.id)) g
    FULL JOIN (SELECT (details::jsonb ->> 'generation_id')::bigint AS id, occurred_at
               FROM activity_log
               WHERE action = 'generation_deleted' AND NOT EXISTS (SELECT 1 FROM verify_bad b WHERE b.tbl = 'activity_log' AND b.id = activity_log.id)) a
           ON a.id = g.id
    WHERE a.occurred_at IS DISTINCT FROM g.deleted_at;
    IF cnt = 0 AND (SELECT count(*) FROM activity_log WHERE action = 'generation_deleted')
                 <> (SELECT count(DISTINCT details::jsonb ->> 'generation_id') FROM activity_log
                     WHERE action = 'generation_deleted') THEN
        cnt := 1;
    END IF;
    IF cnt > 0 THEN
        RAISE EXCEPTION 'verify_demo: % deleted generations and generation_deleted log rows do not match', cnt;
    END IF;
END
$$;

-- Data exports and database connection failures: exactly the truth's.
DO $$
DECLARE
    cnt bigint;
BEGIN
    SELECT count(*) INTO cnt FROM (
        (SELECT id::text FROM activity_log WHERE action = 'data_export'
           AND NOT EXISTS (SELECT 1 FROM verify_bad b WHERE b.tbl = 'activity_log' AND b.id = activity_log.id)
         EXCEPT SELECT subject FROM almanac_demo.truth WHERE kind = 'bulk_export')
        UNION ALL
        (SELECT subject FROM almanac_demo.truth WHERE kind = 'bulk_export'
         EXCEPT SELECT id::text FROM activity_log WHERE action = 'data_export')) d;
    IF cnt > 0 THEN
        RAISE EXCEPTION 'verify_demo: data exports differ from the truth (% differences)', cnt;
    END IF;
    SELECT count(*) INTO cnt FROM (
        (SELECT id::text FROM activity_log WHERE action = 'db_connection_failed'
           AND NOT EXISTS (SELECT 1 FROM verify_bad b WHERE b.tbl = 'activity_log' AND b.id = activity_log.id)
         EXCEPT SELECT subject FROM almanac_demo.truth WHERE kind = 'db_connection_failure')
        UNION ALL
        (SELECT subject FROM almanac_demo.truth WHERE kind = 'db_connection_failure'
         EXCEPT SELECT id::text FROM activity_log WHERE action = 'db_connection_failed')) d;
    IF cnt > 0 THEN
        RAISE EXCEPTION 'verify_demo: database connection failures differ from the truth (% differences)', cnt;
    END IF;
    IF NOT EXISTS (
        SELECT 1 FROM activity_log a JOIN health_checks h
          ON h.component = 'database' AND h.status = 'down'
         AND h.checked_at BETWEEN a.occurred_at - interval '5 minutes' AND a.occurred_at + interval '5 minutes'
        WHERE a.action = 'db_connection_failed') THEN
        RAISE EXCEPTION 'verify_demo: the database connection failure has no matching down check';
    END IF;
END
$$;

-- 8. Loyalty ------------------------------------------------------------------------------

-- Amounts follow the rules; brand balances never go negative.
DO $$
DECLARE
    cnt bigint;
BEGIN
    SELECT count(*) INTO cnt
    FROM loyalty_transactions t
    LEFT JOIN loyalty_perks p ON p.id = t.perk_id
    LEFT JOIN loyalty_rewards r ON r.id = t.reward_id
    WHERE NOT EXISTS (SELECT 1 FROM verify_bad b WHERE b.tbl = 'loyalty_transactions' AND b.id = t.id)
      AND ((t.type = 'perk_claim' AND (t.rsnc_amount <> p.price_rsnc OR t.usd_amount <> p.value_usd OR p.brand_id <> t.brand_id))
        OR (t.type = 'distribution' AND (t.rsnc_amount <> r.rsnc_amount OR r.brand_id <> t.brand_id))
        OR (t.type = 'purchase' AND t.usd_amount * 100 <> t.rsnc_amount));
    IF cnt > 0 THEN
        RAISE EXCEPTION 'verify_demo: % loyalty transactions with amounts that do not match their perk, reward or rate', cnt;
    END IF;

    SELECT count(*) INTO cnt FROM (
        SELECT sum(CASE type WHEN 'purchase' THEN rsnc_amount ELSE -rsnc_amount END)
                   OVER (PARTITION BY brand_id ORDER BY created_at, id) AS balance
        FROM loyalty_transactions
        WHERE NOT EXISTS (SELECT 1 FROM verify_bad b WHERE b.tbl = 'loyalty_transactions' AND b.id = loyalty_transactions.id)
          AND type IN ('purchase', 'distribution', 'sellback')
    ) x
    WHERE balance < 0;
    IF cnt > 0 THEN
        RAISE EXCEPTION 'verify_demo: % loyalty transactions leave a brand with a negative RSNC balance', cnt;
    END IF;
END
$$;

-- Perk supply and brand balance alerts are exactly the truth's; everything
-- else is comfortably healthy.
DO $$
DECLARE
    r record;
    t_end timestamptz := pg_temp.t_end();
BEGIN
    FOR r IN
        SELECT p.id, p.total_supply, p.total_supply - coalesce(c.n, 0) AS remaining, coalesce(c.n7, 0) / 7.0 AS per_day,
               EXISTS (SELECT 1 FROM almanac_demo.truth t WHERE t.kind = 'perk_low_supply' AND t.subject = p.id::text) AS t_low,
               EXISTS (SELECT 1 FROM almanac_demo.truth t WHERE t.kind = 'perk_selling_out' AND t.subject = p.id::text) AS t_fast
        FROM loyalty_perks p
        LEFT JOIN (SELECT perk_id, count(*) AS n, count(*) FILTER (WHERE created_at >= t_end - interval '7 days') AS n7
                   FROM loyalty_transactions
                   WHERE type = 'perk_claim' AND NOT EXISTS (SELECT 1 FROM verify_bad b WHERE b.tbl = 'loyalty_transactions' AND b.id = loyalty_transactions.id)
                   GROUP BY perk_id) c ON c.perk_id = p.id
    LOOP
        IF r.remaining < 0 THEN
            RAISE EXCEPTION 'verify_demo: perk % has more claims than supply', r.id;
        END IF;
        IF (r.remaining < 0.10 * r.total_supply) <> r.t_low THEN
            RAISE EXCEPTION 'verify_demo: perk % has % of % left; the truth says low supply = %', r.id, r.remaining, r.total_supply, r.t_low;
        END IF;
        IF (r.per_day > 0 AND r.remaining / r.per_day < 14) <> r.t_fast THEN
            RAISE EXCEPTION 'verify_demo: perk % has % left at % a day; the truth says selling out = %', r.id, r.remaining, round(r.per_day, 2), r.t_fast;
        END IF;
        IF NOT r.t_low AND NOT r.t_fast
           AND (r.remaining < 0.2 * r.total_supply OR (r.per_day > 0 AND r.remaining / r.per_day < 30)) THEN
            RAISE EXCEPTION 'verify_demo: perk % is not comfortably healthy (% of % left, % a day)', r.id, r.remaining, r.total_supply, round(r.per_day, 2);
        END IF;
    END LOOP;

    FOR r IN
        SELECT b.id, x.balance, x.dist30 / 30.0 AS per_day,
               EXISTS (SELECT 1 FROM almanac_demo.truth t WHERE t.kind = 'brand_low_rsnc' AND t.subject = b.id::text) AS t_low
        FROM loyalty_brands b
        LEFT JOIN (SELECT brand_id,
                          sum(CASE type WHEN 'purchase' THEN rsnc_amount ELSE -rsnc_amount END)
                              FILTER (WHERE type IN ('purchase', 'distribution', 'sellback')) AS balance,
                          coalesce(sum(rsnc_amount) FILTER (WHERE type = 'distribution'
                                                              AND created_at >= t_end - interval '30 days'), 0) AS dist30
                   FROM loyalty_transactions
                   WHERE NOT EXISTS (SELECT 1 FROM verify_bad b WHERE b.tbl = 'loyalty_transactions' AND b.id = loyalty_transactions.id)
                   GROUP BY brand_id) x ON x.brand_id = b.id
    LOOP
        IF (r.per_day > 0 AND r.balance / r.per_day < 14) <> r.t_low THEN
            RAISE EXCEPTION 'verify_demo: brand % has % RSNC at % a day; the truth says low = %', r.id, r.balance, round(r.per_day, 2), r.t_low;
        END IF;
        IF NOT r.t_low AND r.per_day > 0 AND r.balance / r.per_day < 30 THEN
            RAISE EXCEPTION 'verify_demo: brand % RSNC lasts only % days: not comfortably healthy', r.id, round(r.balance / r.per_day, 1);
        END IF;
    END LOOP;
    -- The seed's insight: distribution above the brands' median, capital
    -- efficiency (redeemed / distributed) under 20 %.
    FOR r IN
        WITH b AS (
            SELECT brand_id,
                   sum(rsnc_amount) FILTER (WHERE type = 'distribution') AS dist,
                   coalesce(sum(rsnc_amount) FILTER (WHERE type = 'perk_claim'), 0) AS redeemed
            FROM loyalty_transactions t
            WHERE NOT EXISTS (SELECT 1 FROM verify_bad v WHERE v.tbl = 'loyalty_transactions' AND v.id = t.id)
            GROUP BY brand_id
        )
        SELECT t.subject, b.dist, b.redeemed, (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY dist) FROM b) AS median,
               (t.detail ->> 'distributed')::numeric AS t_dist, (t.detail ->> 'redeemed')::numeric AS t_redeemed
        FROM almanac_demo.truth t
        LEFT JOIN b ON b.brand_id::text = t.subject
        WHERE t.kind = 'loyalty_low_efficiency'
    LOOP
        IF r.dist IS NULL OR r.dist <= r.median OR r.redeemed >= 0.2 * r.dist
           OR r.dist <> r.t_dist OR r.redeemed <> r.t_redeemed THEN
            RAISE EXCEPTION 'verify_demo: brand % distributed % (median %) and redeemed %: not the low-efficiency brand the truth describes',
                r.subject, r.dist, r.median, r.redeemed;
        END IF;
    END LOOP;
    IF NOT EXISTS (SELECT 1 FROM almanac_demo.truth WHERE kind = 'perk_selling_out'
                   AND subject NOT IN (SELECT subject FROM almanac_demo.truth WHERE kind = 'perk_low_supply')) THEN
        RAISE EXCEPTION 'verify_demo: expected a perk selling out that still has over 10 %% of its supply';
    END IF;
END
$$;

-- 9. Free text and B2C behaviour ---------------------------------------------------------

-- The hostile values are in the rows the truth names, and include every
-- formula trigger.
DO $$
DECLARE
    r record;
    v text;
BEGIN
    FOR r IN SELECT detail ->> 'table' AS tbl, (detail ->> 'id')::bigint AS id, detail ->> 'column' AS col,
                    detail ->> 'value' AS value
             FROM almanac_demo.truth WHERE kind = 'hostile_text'
    LOOP
        EXECUTE format('SELECT %I FROM %I WHERE id = $1', r.col, r.tbl) INTO v USING r.id;
        IF v IS DISTINCT FROM r.value THEN
            RAISE EXCEPTION 'verify_demo: %.% of row % is %, the truth says %', r.tbl, r.col, r.id, v, r.value;
        END IF;
    END LOOP;
    FOR r IN SELECT pat FROM (VALUES ('^='), ('^\+'), ('^-'), ('^@'), (E'\n'), ('"'), (',')) AS x(pat)
             WHERE NOT EXISTS (SELECT 1 FROM almanac_demo.truth
                               WHERE kind = 'hostile_text' AND detail ->> 'value' ~ x.pat)
    LOOP
        RAISE EXCEPTION 'verify_demo: no hostile text matching %', r.pat;
    END LOOP;
    IF NOT EXISTS (SELECT 1 FROM partners WHERE name ~ '[^\x01-\x7f]' AND name ~ '[Α-Ωα-ωА-Яа-я一-龥]')
       OR NOT EXISTS (SELECT 1 FROM events WHERE name ~ '[áéíóúñüçł]') THEN
        RAISE EXCEPTION 'verify_demo: expected accented and non-Latin names';
    END IF;
END
$$;

-- B2C: 25-35 % of users active in the last 30 days; the funnel narrows at
-- each step; evenings and weekends are the busiest; signups grow; buyers
-- come back; subscriptions are charged monthly.
DO $$
DECLARE
    active numeric;
    f record;
    t_end timestamptz := pg_temp.t_end();
BEGIN
    SELECT count(DISTINCT b2c_user_id)::numeric / (SELECT count(*) FROM b2c_users) INTO active
    FROM generations
    WHERE b2c_user_id IS NOT NULL AND created_at >= t_end - interval '30 days' AND created_at < t_end
      AND NOT EXISTS (SELECT 1 FROM verify_bad b WHERE b.tbl = 'generations' AND b.id = generations.id);
    IF active NOT BETWEEN 0.25 AND 0.35 THEN
        RAISE EXCEPTION 'verify_demo: % %% of B2C users active in the last 30 days, expected 25-35 %%', round(100 * active, 1);
    END IF;

    SELECT count(DISTINCT session_id) FILTER (WHERE step = 'upload') AS upload,
           count(DISTINCT session_id) FILTER (WHERE step = 'style') AS style,
           count(DISTINCT session_id) FILTER (WHERE step = 'generate') AS generate,
           count(DISTINCT session_id) FILTER (WHERE step = 'download') AS download,
           (SELECT count(*) FROM sessions) AS sessions
    INTO f
    FROM session_steps WHERE NOT EXISTS (SELECT 1 FROM verify_bad b WHERE b.tbl = 'session_steps' AND b.id = session_steps.id);
    IF NOT (f.sessions > f.upload AND f.upload > f.style AND f.style > f.generate AND f.generate > f.download
            AND f.download > 0) THEN
        RAISE EXCEPTION 'verify_demo: the funnel does not narrow: %', f;
    END IF;

    IF (SELECT count(*) FILTER (WHERE extract(hour FROM created_at AT TIME ZONE 'UTC') BETWEEN 18 AND 22)::numeric / 5
        <= count(*) FILTER (WHERE extract(hour FROM created_at AT TIME ZONE 'UTC') BETWEEN 6 AND 10)::numeric / 5 * 2
        FROM generations WHERE b2c_user_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM verify_bad b WHERE b.tbl = 'generations' AND b.id = generations.id))
       OR (SELECT count(*) FILTER (WHERE extract(isodow FROM started_at AT TIME ZONE 'UTC') >= 6)::numeric / 2
           <= count(*) FILTER (WHERE extract(isodow FROM started_at AT TIME ZONE 'UTC') <= 5)::numeric / 5 * 1.5
           FROM sessions) THEN
        RAISE EXCEPTION 'verify_demo: B2C activity does not peak in the evenings and at weekends';
    END IF;

    IF (SELECT count(*) FROM b2c_users WHERE created_at >= t_end - interval '12 months')
       <= 2 * (SELECT count(*) FROM b2c_users WHERE created_at < pg_temp.t_start() + interval '12 months') THEN
        RAISE EXCEPTION 'verify_demo: B2C signups do not grow';
    END IF;

    IF (SELECT count(*) FROM (SELECT b2c_user_id FROM credit_transactions
                              WHERE kind = 'b2c_purchase' AND NOT EXISTS (SELECT 1 FROM verify_bad b WHERE b.tbl = 'credit_transactions' AND b.id = credit_transactions.id)
                              GROUP BY 1 HAVING count(*) >= 2) x) = 0
       OR NOT EXISTS (SELECT 1 FROM credit_transactions WHERE kind = 'b2c_purchase' AND promo_code IS NOT NULL)
       OR NOT EXISTS (SELECT 1 FROM credit_transactions WHERE kind = 'purchase' AND promo_code IS NOT NULL) THEN
        RAISE EXCEPTION 'verify_demo: expected repeat B2C buyers and promotion codes';
    END IF;

    -- Each subscription is charged once per month from its start while it runs.
    IF EXISTS (
        SELECT 1
        FROM (SELECT s.b2c_user_id, count(*) AS n
              FROM subscriptions s
              CROSS JOIN generate_series(0, 60) AS k
              WHERE (s.started_at AT TIME ZONE 'UTC' + make_interval(months => k)) AT TIME ZONE 'UTC'
                    < least(s.ended_at, t_end)
              GROUP BY 1) e
        FULL JOIN (SELECT b2c_user_id, count(*) AS n FROM credit_transactions
                   WHERE kind = 'subscription' AND NOT EXISTS (SELECT 1 FROM verify_bad b WHERE b.tbl = 'credit_transactions' AND b.id = credit_transactions.id)
                   GROUP BY 1) c ON c.b2c_user_id = e.b2c_user_id
        WHERE e.n IS DISTINCT FROM c.n) THEN
        RAISE EXCEPTION 'verify_demo: subscription charges do not follow the subscriptions';
    END IF;
END
$$;
