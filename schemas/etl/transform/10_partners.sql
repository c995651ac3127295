-- Partners: SCD type 2. Runs first: other tables' orphans are retried
-- against the partners loaded here. Needs almanac.run_id.
--
-- 1. Keep what the sources say: the latest partners row per partner
--    (dw.partner_latest) and every partner_status_history row
--    (dw.partner_history), upserted by source id.
--    History rows quarantined earlier as orphans whose partner is loaded
--    now are recovered from their rejects (as in 20_dimensions.sql).
-- 2. Rebuild the versions of every partner whose partners row or history
--    changed in this run (etl_run_id) from ALL the history held, so history
--    rows arriving late, out of order or corrected land in the right place:
--      - one version per distinct history changed_at (the row with the
--        highest id wins a tie), valid until the next one; a NULL name in a
--        history row carries the previous name forward (or the partners name);
--      - no history at all: one version from the partners row, valid from
--        created_at (or -infinity);
--      - the partners row changed after the last history row and disagrees
--        with it (its history row was rejected or has not arrived): one more
--        version from the partners row, valid from its deactivated_at when
--        that is the change, else from partners.updated_at;
--      - email, created_at, approved_at, deactivated_at: latest values on
--        every version (type 1).
-- 3. Write the difference: versions no longer wanted are deleted, the others
--    upserted on (partner_id, valid_from) and rewritten only when a value
--    changed. Unchanged versions keep their partner_key, so re-running a
--    batch changes nothing.

INSERT INTO dw.partner_latest AS d (partner_id, name, email, status, contract_value_usd,
                                    created_at, approved_at, deactivated_at,
                                    source_updated_at, etl_run_id)
SELECT id, name, email, status, contract_value_usd, created_at, approved_at, deactivated_at,
       updated_at, current_setting('almanac.run_id')::bigint
FROM staging.partners
WHERE _reject_code IS NULL
ON CONFLICT (partner_id) DO UPDATE
SET name = excluded.name, email = excluded.email, status = excluded.status,
    contract_value_usd = excluded.contract_value_usd, created_at = excluded.created_at,
    approved_at = excluded.approved_at, deactivated_at = excluded.deactivated_at,
    source_updated_at = excluded.source_updated_at, etl_run_id = excluded.etl_run_id
WHERE (d.name, d.email, d.status, d.contract_value_usd, d.created_at, d.approved_at,
       d.deactivated_at, d.source_updated_at)
      IS DISTINCT FROM (excluded.name, excluded.email, excluded.status,
                        excluded.contract_value_usd, excluded.created_at, excluded.approved_at,
                        excluded.deactivated_at, excluded.source_updated_at);

INSERT INTO dw.partner_history AS d (history_id, partner_id, changed_at, status,
                                     contract_value_usd, name, etl_run_id)
SELECT id, partner_id, changed_at, status, contract_value_usd, name,
       current_setting('almanac.run_id')::bigint
FROM staging.partner_status_history
WHERE _reject_code IS NULL
ON CONFLICT (history_id) DO UPDATE
SET partner_id = excluded.partner_id, changed_at = excluded.changed_at, status = excluded.status,
    contract_value_usd = excluded.contract_value_usd, name = excluded.name,
    etl_run_id = excluded.etl_run_id
WHERE (d.partner_id, d.changed_at, d.status, d.contract_value_usd, d.name)
      IS DISTINCT FROM (excluded.partner_id, excluded.changed_at, excluded.status,
                        excluded.contract_value_usd, excluded.name);

-- History rows quarantined earlier as orphans, not re-read in this batch,
-- whose partner is loaded now: load them from the reject's stored values
-- and close the reject (resolution 'loaded').
WITH retry AS (
    SELECT r.reject_id, t.*
    FROM etl.rejects r
    CROSS JOIN LATERAL jsonb_populate_record(NULL::staging.partner_status_history,
                                             r.raw_row::jsonb) AS t
    WHERE r.source_table = 'partner_status_history' AND r.reason_code = 'orphan_reference'
      AND r.resolved_run_id IS NULL
      AND r.last_seen_run_id <> current_setting('almanac.run_id')::bigint
),
ready AS (
    SELECT t.*
    FROM retry t
    WHERE EXISTS (SELECT 1 FROM dw.partner_latest p WHERE p.partner_id = t.partner_id)
),
loaded AS (
    INSERT INTO dw.partner_history AS d (history_id, partner_id, changed_at, status,
                                         contract_value_usd, name, etl_run_id)
    SELECT id, partner_id, changed_at, status, contract_value_usd, name,
           current_setting('almanac.run_id')::bigint
    FROM ready
    ON CONFLICT (history_id) DO UPDATE
    SET partner_id = excluded.partner_id, changed_at = excluded.changed_at,
        status = excluded.status, contract_value_usd = excluded.contract_value_usd,
        name = excluded.name, etl_run_id = excluded.etl_run_id
)
UPDATE etl.rejects AS r
SET resolved_run_id = current_setting('almanac.run_id')::bigint, resolution = 'loaded'
FROM ready
WHERE r.reject_id = ready.reject_id;

WITH touched AS (
    SELECT partner_id FROM dw.partner_latest
    WHERE etl_run_id = current_setting('almanac.run_id')::bigint
    UNION
    SELECT partner_id FROM dw.partner_history
    WHERE etl_run_id = current_setting('almanac.run_id')::bigint
    UNION
    -- a history row corrected to another partner or time leaves a version
    -- behind on the partner it left
    SELECT d.partner_id FROM dw.dim_partner d
    WHERE d.version_source = 'history'
      AND NOT EXISTS (SELECT 1 FROM dw.partner_history h
                      WHERE h.partner_id = d.partner_id AND h.changed_at = d.valid_from)
),
hist AS (                       -- one row per instant; the highest id wins a tie
    SELECT DISTINCT ON (h.partner_id, h.changed_at)
           h.partner_id, h.changed_at, h.status, h.contract_value_usd, h.name
    FROM dw.partner_history h
    JOIN touched t ON t.partner_id = h.partner_id
    ORDER BY h.partner_id, h.changed_at, h.history_id DESC
),
hist_grouped AS (               -- name_grp counts the non-NULL names so far
    SELECT hist.*,
           count(name) OVER (PARTITION BY partner_id ORDER BY changed_at) AS name_grp
    FROM hist
),
hist_named AS (                 -- a NULL name carries the last known one forward
    SELECT partner_id, changed_at, status, contract_value_usd,
           first_value(name) OVER (PARTITION BY partner_id, name_grp ORDER BY changed_at) AS name
    FROM hist_grouped
),
last_hist AS (
    SELECT DISTINCT ON (partner_id) *
    FROM hist_named
    ORDER BY partner_id, changed_at DESC
),
from_partners AS (              -- versions taken from the partners row
    SELECT p.partner_id,
           CASE WHEN l.partner_id IS NULL THEN coalesce(p.created_at, '-infinity')
                WHEN p.status = 'deactivated' AND p.deactivated_at > l.changed_at
                    THEN p.deactivated_at
                ELSE p.source_updated_at END AS valid_from,
           p.status, p.contract_value_usd, p.name
    FROM dw.partner_latest p
    JOIN touched t ON t.partner_id = p.partner_id
    LEFT JOIN last_hist l ON l.partner_id = p.partner_id
    WHERE l.partner_id IS NULL
       OR (p.source_updated_at > l.changed_at
           AND (p.status, p.contract_value_usd, p.name)
               IS DISTINCT FROM (l.status, l.contract_value_usd, coalesce(l.name, p.name)))
),
versions AS (
    SELECT partner_id, changed_at AS valid_from, status, contract_value_usd, name,
           'history' AS version_source
    FROM hist_named
    UNION ALL
    SELECT partner_id, valid_from, status, contract_value_usd, name, 'partners'
    FROM from_partners
),
desired AS (
    SELECT v.partner_id,
           coalesce(v.name, p.name) AS name,
           p.email, v.status, v.contract_value_usd, v.valid_from,
           coalesce(lead(v.valid_from) OVER (PARTITION BY v.partner_id ORDER BY v.valid_from),
                    'infinity') AS valid_to,
           p.created_at, p.approved_at, p.deactivated_at, v.version_source
    FROM versions v
    LEFT JOIN dw.partner_latest p ON p.partner_id = v.partner_id
),
removed AS (
    DELETE FROM dw.dim_partner d
    USING touched t
    WHERE d.partner_id = t.partner_id
      AND NOT EXISTS (SELECT 1 FROM desired x
                      WHERE x.partner_id = d.partner_id AND x.valid_from = d.valid_from)
)
INSERT INTO dw.dim_partner AS d (partner_id, name, email, status, contract_value_usd,
                                 valid_from, valid_to, is_current, created_at, approved_at,
                                 deactivated_at, version_source, etl_run_id)
SELECT partner_id, name, email, status, contract_value_usd, valid_from, valid_to,
       valid_to = 'infinity', created_at, approved_at, deactivated_at, version_source,
       current_setting('almanac.run_id')::bigint
FROM desired
ON CONFLICT (partner_id, valid_from) DO UPDATE
SET name = excluded.name, email = excluded.email, status = excluded.status,
    contract_value_usd = excluded.contract_value_usd, valid_to = excluded.valid_to,
    is_current = excluded.is_current, created_at = excluded.created_at,
    approved_at = excluded.approved_at, deactivated_at = excluded.deactivated_at,
    version_source = excluded.version_source, etl_run_id = excluded.etl_run_id
WHERE (d.name, d.email, d.status, d.contract_value_usd, d.valid_to, d.is_current, d.created_at,
       d.approved_at, d.deactivated_at, d.version_source)
      IS DISTINCT FROM (excluded.name, excluded.email, excluded.status,
                        excluded.contract_value_usd, excluded.valid_to, excluded.is_current,
                        excluded.created_at, excluded.approved_at, excluded.deactivated_at,
                        excluded.version_source);
