-- Demo data, last step: refuse to finish if a planted kind is missing.
-- (tests/demo/verify_demo.sql checks the patterns themselves against the
-- data; this only guards the generator's own plan, cheaply.)

DO $$
DECLARE
    missing text;
BEGIN
    SELECT string_agg(k, ', ') INTO missing
    FROM unnest(ARRAY['params', 'seasonal_factor', 'partner_segment', 'partner_growth',
                      'partner_reactivated', 'contract_change', 'outage', 'isolated_down_check',
                      'system_pulse', 'error_spike', 'failed_login_burst', 'bulk_deletion',
                      'bulk_export', 'db_connection_failure', 'unauthorized_api',
                      'high_value_purchase', 'low_credit_partner', 'poor_quality_style',
                      'perk_low_supply', 'perk_selling_out', 'brand_low_rsnc',
                      'pending_application', 'malformed', 'hostile_text']) AS k
    WHERE NOT EXISTS (SELECT 1 FROM almanac_demo.truth t WHERE t.kind = k);
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION 'demo generator: no planted item of kind %', missing;
    END IF;
END
$$;

-- The bulk deletion is drawn per image; make sure it came out large enough.
DO $$
BEGIN
    IF (SELECT min((detail ->> 'count')::integer) FROM almanac_demo.truth WHERE kind = 'bulk_deletion') < 100 THEN
        RAISE EXCEPTION 'demo generator: the planted bulk deletion has fewer than 100 deletions';
    END IF;
END
$$;
