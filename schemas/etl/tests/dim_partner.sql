-- Data tests of the partner dimension (SCD type 2) and its inputs, whole
-- tables (they are small). For every partner loaded:
--   versions exist, exactly one is current (valid_to = 'infinity'),
--   consecutive versions meet exactly (no gap, no overlap),
--   type 1 attributes (email, dates) equal the latest partners row;
-- plus required and accepted values of dim_partner, partner_history and
-- partner_latest, and no history or version of an unknown partner.
-- One row per failing check: problem, failing_rows, examples (partner ids).
WITH versions AS (
    SELECT v.*,
           lead(v.valid_from) OVER (PARTITION BY v.partner_id ORDER BY v.valid_from) AS next_from
    FROM dw.dim_partner v
),
per_partner AS (
    SELECT p.partner_id,
           count(v.partner_key) AS n_versions,
           count(v.partner_key) FILTER (WHERE v.is_current) AS n_current,
           count(v.partner_key) FILTER (WHERE v.next_from IS NOT NULL
                                          AND v.valid_to <> v.next_from) AS n_broken,
           count(v.partner_key) FILTER (WHERE (v.email, v.created_at, v.approved_at, v.deactivated_at)
                                              IS DISTINCT FROM
                                              (p.email, p.created_at, p.approved_at, p.deactivated_at))
               AS n_stale,
           count(v.partner_key) FILTER (WHERE v.name IS NULL) AS n_name_null,
           count(v.partner_key) FILTER (WHERE v.status IS NULL) AS n_status_null,
           count(v.partner_key) FILTER (WHERE v.status NOT IN ('pending', 'approved', 'rejected',
                                                               'deactivated')) AS n_status_value,
           count(v.partner_key) FILTER (WHERE v.contract_value_usd < 0) AS n_negative
    FROM dw.partner_latest p
    LEFT JOIN versions v ON v.partner_id = p.partner_id
    GROUP BY p.partner_id
),
problems AS (
    SELECT partner_id, 'scd2: dw.dim_partner has no version of a loaded partner' AS problem
    FROM per_partner WHERE n_versions = 0
    UNION ALL
    SELECT partner_id, 'scd2: dw.dim_partner has not exactly one current version per partner'
    FROM per_partner WHERE n_versions > 0 AND n_current <> 1
    UNION ALL
    SELECT partner_id, 'scd2: dw.dim_partner versions overlap or leave a gap'
    FROM per_partner WHERE n_broken > 0
    UNION ALL
    SELECT partner_id, 'scd2: dw.dim_partner email or dates differ from dw.partner_latest'
    FROM per_partner WHERE n_stale > 0
    UNION ALL
    SELECT partner_id, 'not_null: dw.dim_partner.name is NULL'
    FROM per_partner WHERE n_name_null > 0
    UNION ALL
    SELECT partner_id, 'not_null: dw.dim_partner.status is NULL'
    FROM per_partner WHERE n_status_null > 0
    UNION ALL
    SELECT partner_id,
           'accepted_values: dw.dim_partner.status not in (pending, approved, rejected, deactivated)'
    FROM per_partner WHERE n_status_value > 0
    UNION ALL
    SELECT partner_id, 'accepted_values: dw.dim_partner.contract_value_usd is negative'
    FROM per_partner WHERE n_negative > 0
    UNION ALL
    SELECT DISTINCT v.partner_id, 'relationships: dw.dim_partner.partner_id not in dw.partner_latest'
    FROM dw.dim_partner v
    WHERE NOT EXISTS (SELECT 1 FROM dw.partner_latest p WHERE p.partner_id = v.partner_id)
    UNION ALL
    SELECT DISTINCT h.partner_id,
           'relationships: dw.partner_history.partner_id not in dw.partner_latest'
    FROM dw.partner_history h
    WHERE NOT EXISTS (SELECT 1 FROM dw.partner_latest p WHERE p.partner_id = h.partner_id)
    UNION ALL
    SELECT DISTINCT h.partner_id, 'not_null: dw.partner_history.status is NULL'
    FROM dw.partner_history h WHERE h.status IS NULL
    UNION ALL
    SELECT DISTINCT h.partner_id,
           'accepted_values: dw.partner_history.status not in (pending, approved, rejected, deactivated)'
    FROM dw.partner_history h
    WHERE h.status NOT IN ('pending', 'approved', 'rejected', 'deactivated')
    UNION ALL
    SELECT p.partner_id, 'not_null: dw.partner_latest.name, email or status is NULL'
    FROM dw.partner_latest p
    WHERE p.name IS NULL OR p.email IS NULL OR p.status IS NULL
    UNION ALL
    SELECT p.partner_id,
           'accepted_values: dw.partner_latest.status not in (pending, approved, rejected, deactivated)'
    FROM dw.partner_latest p
    WHERE p.status NOT IN ('pending', 'approved', 'rejected', 'deactivated')
)
SELECT problem, count(*) AS failing_rows,
       array_to_string((array_agg(partner_id ORDER BY partner_id))[1:5], ', ') AS examples
FROM problems
GROUP BY problem
